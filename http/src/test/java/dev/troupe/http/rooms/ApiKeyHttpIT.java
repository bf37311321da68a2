package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys over real sockets: created by a project's admins (shown once), used with {@code
 * Authorization: ApiKey}, confined by their route, room and namespace scopes, refused alike when
 * forged, unknown, malformed, revoked or expired. (In the rooms package for its fixture and
 * WebSocket client.)
 */
class ApiKeyHttpIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int MAX_KEYS = 40;

  @TempDir static Path dataDir;

  private static RoomsFixture fixture;
  private static RoomsFixture.Tenant t;
  private static TestHttp annAdmin;
  private static String keysPath;

  @BeforeAll
  static void start() throws Exception {
    fixture = RoomsFixture.h2(dataDir, ConfigFactory.parseString("troupe.identity.api-keys.max-keys-per-project = " + MAX_KEYS));
    t = fixture.tenant("keys");
    assertThat(t.boss().postJson("/orgs/" + t.org() + "/projects", "{\"name\":\"web\"}").status()).isEqualTo(201);
    assertThat(t.boss().postJson("/orgs/" + t.org() + "/projects", "{\"name\":\"api\"}").status()).isEqualTo(201);
    TestHttp.Response member =
        t.boss().putJson("/orgs/" + t.org() + "/projects/web/members/ann", "{\"roles\":[\"project-admin\"]}");
    assertThat(member.status()).as("%s", member).isEqualTo(200);
    // ann's new role is in the tokens of her next login
    TestHttp.Response login = fixture.anonymous.login("ann", "ann-password", t.org());
    assertThat(login.status()).isEqualTo(200);
    annAdmin = fixture.anonymous.as(login.json().get("access_token").asText());
    keysPath = "/orgs/" + t.org() + "/projects/web/api-keys";
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String body(String name, String roles, String routes, String rooms, String namespaces, String extra) {
    return "{\"name\":\"" + name + "\""
        + (roles == null ? "" : ",\"roles\":" + roles)
        + ",\"scopes\":{\"routes\":" + routes + ",\"rooms\":" + rooms + ",\"namespaces\":" + namespaces + "}"
        + (extra == null ? "" : "," + extra)
        + "}";
  }

  /** Creates a key as boss (201) and answers the create response. */
  private static JsonNode create(String body) {
    TestHttp.Response created = t.boss().postJson(keysPath, body);
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    return created.json();
  }

  private static TestHttp.Response withKey(String key, String method, String path, String contentType, String body) {
    List<String> headers = new ArrayList<>(List.of("Authorization", "ApiKey " + key));
    return fixture.anonymous.send(method, path, contentType, body, headers.toArray(String[]::new));
  }

  private static TestHttp.Response get(String key, String path) {
    return withKey(key, "GET", path, null, null);
  }

  private static JsonNode listed(String id) {
    TestHttp.Response list = t.boss().get(keysPath);
    assertThat(list.status()).as("%s", list).isEqualTo(200);
    for (JsonNode k : list.json().path("api_keys")) {
      if (k.path("id").asText().equals(id)) {
        return k;
      }
    }
    throw new AssertionError("key " + id + " not listed: " + list.body());
  }

  private static String roomsKey() {
    return create(
            body(
                "rooms-bot", null,
                "[\"GET /rooms\",\"GET /rooms/**\",\"POST /rooms/*/messages\",\"GET /ws\"]",
                "[\"chat-*\"]", "[]", null))
        .path("key")
        .asText();
  }

  // ---------------------------------------------------------------- tests

  @Test
  void createdKeyIsShownOnceAndWorks() {
    JsonNode created =
        create(body("ci", null, "[\"GET /rooms\",\"GET /rooms/**\"]", "[\"chat-*\"]", "[\"orders\"]", "\"expires_in\":3600"));
    String id = created.path("id").asText();
    String key = created.path("key").asText();
    assertThat(id).matches("[a-z0-9]{16}");
    assertThat(key).matches("trp_" + id + "_[A-Za-z0-9_-]{43}");
    assertThat(created.path("prefix").asText()).isEqualTo("trp_" + id);
    assertThat(created.path("name").asText()).isEqualTo("ci");
    assertThat(created.path("roles").toString()).isEqualTo("[\"project-user:web\"]");
    assertThat(created.path("scopes").path("rooms").toString()).isEqualTo("[\"chat-*\"]");
    assertThat(created.path("scopes").path("namespaces").toString()).isEqualTo("[\"orders\"]");
    assertThat(created.path("created_at").asText()).isNotBlank();
    assertThat(created.path("expires_at").asText()).isNotBlank();

    TestHttp.Response list = t.boss().get(keysPath);
    assertThat(list.status()).isEqualTo(200);
    // The secret is everything after "trp_<id>_" (base64url: it may itself contain '_').
    String secret = key.substring(("trp_" + id + "_").length());
    assertThat(list.body()).doesNotContain(key).doesNotContain(secret);
    JsonNode listed = listed(id);
    assertThat(listed.has("key")).isFalse();
    assertThat(listed.has("hash")).isFalse();
    assertThat(listed.path("prefix").asText()).isEqualTo("trp_" + id);
    assertThat(listed.path("created_by").asText()).isEqualTo("boss@" + t.org());
    assertThat(listed.path("revoked_at").isNull()).isTrue();
    assertThat(listed.path("last_used_at").isNull()).isTrue();

    TestHttp.Response rooms = get(key, "/rooms");
    assertThat(rooms.status()).as("%s", rooms).isEqualTo(200);
    await().atMost(WAIT).untilAsserted(() -> assertThat(listed(id).path("last_used_at").isNull()).isFalse());
  }

  @Test
  void roomScopesHoldOverRestAndListing() {
    String key = roomsKey();
    String chat = "chat-" + RoomsFixture.unique("r");
    String ops = "ops-" + RoomsFixture.unique("r");
    assertThat(t.boss().putJson("/rooms/" + chat, "{}").status()).isEqualTo(201);
    assertThat(t.boss().putJson("/rooms/" + ops, "{}").status()).isEqualTo(201);

    TestHttp.Response posted = withKey(key, "POST", "/rooms/" + chat + "/messages", "application/json", "{\"hi\":1}");
    assertThat(posted.status()).as("%s", posted).isEqualTo(201);
    RoomsFixture.assertProblem(
        withKey(key, "POST", "/rooms/" + ops + "/messages", "application/json", "{\"hi\":1}"), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/rooms/" + ops + "/messages"), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/rooms/" + ops + "/events"), 403, "forbidden");
    assertThat(get(key, "/rooms/" + chat + "/messages").status()).isEqualTo(200);

    TestHttp.Response listing = get(key, "/rooms");
    assertThat(listing.status()).isEqualTo(200);
    assertThat(listing.body()).contains(chat).doesNotContain(ops);
    assertThat(t.boss().get("/rooms").body()).contains(chat).contains(ops);
  }

  @Test
  void routeOutsideScopesIsForbidden() {
    String key = roomsKey();
    RoomsFixture.assertProblem(get(key, "/orgs/" + t.org()), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/cache/orders/x"), 403, "forbidden");
    RoomsFixture.assertProblem(withKey(key, "PUT", "/rooms/chat-new", "application/json", "{}"), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/rooms/../orgs/" + t.org()), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/rooms/%2e%2e/orgs/" + t.org()), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/rooms/%2E%2E/orgs/" + t.org()), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, keysPath), 403, "forbidden");
  }

  @Test
  void webSocketJoinOutsideRoomScopesIsForbidden() throws Exception {
    String key = roomsKey();
    String chat = "chat-" + RoomsFixture.unique("w");
    String ops = "ops-" + RoomsFixture.unique("w");
    assertThat(t.boss().putJson("/rooms/" + chat, "{}").status()).isEqualTo(201);
    assertThat(t.boss().putJson("/rooms/" + ops, "{}").status()).isEqualTo(201);
    try (WsClient ws = WsClient.connect(fixture.port(), b -> b.header("Authorization", "ApiKey " + key), true)) {
      ws.join(ops, "o");
      assertThat(ws.expectError("forbidden").path("ref").asText()).isEqualTo("o");
      JsonNode ack = ws.joined(chat, "c");
      assertThat(ack.path("ref").asText()).isEqualTo("c");
    }
  }

  @Test
  void namespaceOutsideScopesIsForbidden() {
    String key =
        create(body("cache-bot", "[\"org-admin\"]", "[\"* /cache/**\"]", "[]", "[\"orders\"]", null)).path("key").asText();
    TestHttp.Response put = withKey(key, "PUT", "/cache/orders/k1", "text/plain", "v1");
    assertThat(put.status()).as("%s", put).isEqualTo(204);
    TestHttp.Response read = get(key, "/cache/orders/k1");
    assertThat(read.status()).as("%s", read).isEqualTo(200);
    assertThat(read.body()).isEqualTo("v1");
    RoomsFixture.assertProblem(withKey(key, "PUT", "/cache/billing/k1", "text/plain", "v1"), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/cache/billing/k1"), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/cache/orders%2F..%2Fbilling/k1"), 403, "forbidden");
    RoomsFixture.assertProblem(get(key, "/cache/billing/stats"), 403, "forbidden");
    RoomsFixture.assertProblem(withKey(key, "DELETE", "/cache/billing", null, null), 403, "forbidden");
  }

  @Test
  void forgedUnknownAndMalformedKeysAreOneAndTheSame401() {
    String key = roomsKey();
    String last = key.substring(key.length() - 1);
    String forged = key.substring(0, key.length() - 1) + (last.equals("A") ? "B" : "A");
    // an id without its MAC, and a key's secret under another (well-formed) id
    // "_<secret>": the secret is base64url and may itself contain '_'
    String underscoreSecret = key.substring("trp_".length() + 16);
    String unknown = "trp_zzzzzzzzzzzzzzzz" + underscoreSecret;
    String id = key.substring(4, 20);
    String otherId = (id.charAt(0) == 'a' ? "b" : "a") + id.substring(1);
    String wrongMac = "trp_" + otherId + underscoreSecret;
    List<TestHttp.Response> refused =
        List.of(
            get(forged, "/rooms"),
            get(unknown, "/rooms"),
            get(wrongMac, "/rooms"),
            get("nope", "/rooms"),
            get(key + "x", "/rooms"),
            get("trp_" + "a".repeat(300), "/rooms"),
            fixture.anonymous.get("/rooms", "Authorization", "ApiKey"),
            fixture.anonymous.get("/rooms", "Authorization", "apikey " + forged));
    for (TestHttp.Response r : refused) {
      RoomsFixture.assertProblem(r, 401, "unauthenticated");
      assertThat(r.json().path("detail").asText()).isEqualTo("invalid credentials");
    }
    assertThat(fixture.anonymous.get("/rooms", "Authorization", "apikey " + key).status()).as("scheme case").isEqualTo(200);
    assertThat(get(key, "/rooms").status()).as("the real key still works").isEqualTo(200);
  }

  @Test
  void revokedKeyIsRefusedAtOnce() {
    JsonNode created = create(body("gone", null, "[\"GET /rooms\"]", "[]", "[]", null));
    String id = created.path("id").asText();
    String key = created.path("key").asText();
    assertThat(get(key, "/rooms").status()).isEqualTo(200);
    assertThat(t.boss().send("DELETE", keysPath + "/" + id, null, null).status()).isEqualTo(204);
    RoomsFixture.assertProblem(get(key, "/rooms"), 401, "unauthenticated");
    assertThat(t.boss().send("DELETE", keysPath + "/" + id, null, null).status()).as("idempotent").isEqualTo(204);
    assertThat(listed(id).path("revoked_at").isNull()).isFalse();
    RoomsFixture.assertProblem(t.boss().send("DELETE", keysPath + "/aaaaaaaaaaaaaaaa", null, null), 404, "not_found");
    RoomsFixture.assertProblem(t.boss().send("DELETE", keysPath + "/not-an-id", null, null), 404, "not_found");
    RoomsFixture.assertProblem(t.bob().send("DELETE", keysPath + "/" + id, null, null), 403, "forbidden");
  }

  @Test
  void expiredKeyIsRefused() {
    JsonNode created = create(body("brief", null, "[\"GET /rooms\"]", "[]", "[]", "\"expires_in\":2"));
    String key = created.path("key").asText();
    assertThat(created.path("expires_at").asText()).isNotBlank();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> RoomsFixture.assertProblem(get(key, "/rooms"), 401, "unauthenticated"));
  }

  @Test
  void whoMayCreateWhat() {
    String scopes = "[\"GET /rooms\"]";
    // a project-admin creates keys of the project, with no role beyond its own
    TestHttp.Response byAnn = annAdmin.postJson(keysPath, body("ann-key", null, scopes, "[]", "[]", null));
    assertThat(byAnn.status()).as("%s", byAnn).isEqualTo(201);
    assertThat(byAnn.json().path("roles").toString()).isEqualTo("[\"project-user:web\"]");
    RoomsFixture.assertProblem(
        annAdmin.postJson(keysPath, body("escalate", "[\"org-admin\"]", scopes, "[]", "[]", null)), 403, "forbidden");
    // but not in a project she does not administer
    RoomsFixture.assertProblem(
        annAdmin.postJson("/orgs/" + t.org() + "/projects/api/api-keys", body("k", null, scopes, "[]", "[]", null)),
        403, "forbidden");
    // a plain member creates, lists and revokes nothing
    RoomsFixture.assertProblem(t.bob().postJson(keysPath, body("k", null, scopes, "[]", "[]", null)), 403, "forbidden");
    RoomsFixture.assertProblem(t.bob().get(keysPath), 403, "forbidden");
    // another org's project is not found, whether or not it exists
    RoomsFixture.Tenant other = fixture.tenant("other");
    assertThat(other.boss().postJson("/orgs/" + other.org() + "/projects", "{\"name\":\"web\"}").status()).isEqualTo(201);
    RoomsFixture.assertProblem(
        t.boss().postJson("/orgs/" + other.org() + "/projects/web/api-keys", body("k", null, scopes, "[]", "[]", null)),
        404, "not_found");
    RoomsFixture.assertProblem(t.boss().get("/orgs/" + other.org() + "/projects/web/api-keys"), 404, "not_found");
    // a project that does not exist
    RoomsFixture.assertProblem(
        t.boss().postJson("/orgs/" + t.org() + "/projects/nope/api-keys", body("k", null, scopes, "[]", "[]", null)),
        404, "not_found");
    // bad bodies
    RoomsFixture.assertProblem(t.boss().postJson(keysPath, "{\"name\":\"k\"}"), 400, "invalid_request");
    RoomsFixture.assertProblem(
        t.boss().postJson(keysPath, body("k", "[\"sys-admin\"]", scopes, "[]", "[]", null)), 400, "invalid_request");
    RoomsFixture.assertProblem(
        t.boss().postJson(keysPath, body("k", null, "[\"GET rooms\"]", "[]", "[]", null)), 400, "invalid_request");
    RoomsFixture.assertProblem(
        t.boss().postJson(keysPath, body("k", null, scopes, "[]", "[]", "\"expires_in\":-5")), 400, "invalid_request");
    assertThat(t.boss().postJson(keysPath, "{not json").status()).isEqualTo(400);
  }

  @Test
  void nullOrBlankElementsAndTooManyWildcardsAre400() {
    String scopes = "[\"GET /rooms\"]";
    List<String> bodies =
        List.of(
            body("k", null, "[null]", "[]", "[]", null),
            body("k", null, scopes, "[null]", "[]", null),
            body("k", null, scopes, "[]", "[null]", null),
            body("k", null, "[\"GET /rooms\",null]", "[]", "[]", null),
            body("k", "[null]", scopes, "[]", "[]", null),
            body("k", "[\"\"]", scopes, "[]", "[]", null),
            body("k", null, "[\"\"]", "[]", "[]", null),
            body("k", null, scopes, "[\" \"]", "[]", null),
            body(" ", null, scopes, "[]", "[]", null),
            "{\"name\":null,\"scopes\":{\"routes\":[]}}",
            "{\"name\":\"k\",\"scopes\":null}",
            // more than max-wildcards (8) stars: refused, so no pattern can be costly to match
            body("k", null, "[\"GET /*a*a*a*a*a*a*a*a*a*b\"]", "[]", "[]", null),
            body("k", null, scopes, "[\"*a*a*a*a*a*a*a*a*a\"]", "[]", null));
    for (String bad : bodies) {
      TestHttp.Response refused = t.boss().postJson(keysPath, bad);
      assertThat(refused.status()).as("%s -> %s", bad, refused).isEqualTo(400);
      RoomsFixture.assertProblem(refused, 400, "invalid_request");
    }
    // null lists are empty lists
    assertThat(t.boss().postJson(keysPath, "{\"name\":\"k\",\"scopes\":{\"routes\":null}}").status()).isEqualTo(201);
  }

  @Test
  void perProjectKeyLimitHoldsOverHttp() {
    String path = "/orgs/" + t.org() + "/projects/api/api-keys";
    String body = body("k", "[\"project-user:api\"]", "[\"GET /rooms\"]", "[]", "[]", null);
    String first = null;
    for (int i = 0; i < MAX_KEYS; i++) {
      TestHttp.Response created = t.boss().postJson(path, body);
      assertThat(created.status()).as("key %d: %s", i, created).isEqualTo(201);
      if (first == null) {
        first = created.json().path("id").asText();
      }
    }
    TestHttp.Response over = t.boss().postJson(path, body);
    RoomsFixture.assertProblem(over, 422, "unprocessable");
    assertThat(over.json().path("detail").asText()).contains(String.valueOf(MAX_KEYS));
    // a refused create leaves nothing behind; a revoked key frees its place
    assertThat(t.boss().get(path).json().path("api_keys").size()).isEqualTo(MAX_KEYS);
    assertThat(t.boss().send("DELETE", path + "/" + first, null, null).status()).isEqualTo(204);
    assertThat(t.boss().postJson(path, body).status()).isEqualTo(201);
  }

  @Test
  void noAccountCanTakeAKeyPrincipalsName() {
    String key = roomsKey();
    String username = "key-" + key.substring(4, 20);
    TestHttp.Response refused =
        t.boss().postJson("/orgs/" + t.org() + "/users", "{\"username\":\"" + username + "\",\"password\":\"x-password-1\"}");
    RoomsFixture.assertProblem(refused, 400, "invalid_request");
    TestHttp.Response other =
        t.boss().postJson("/orgs/" + t.org() + "/users", "{\"username\":\"key-anything\",\"password\":\"x-password-1\"}");
    RoomsFixture.assertProblem(other, 400, "invalid_request");
    // the prefix is reserved only at its start
    TestHttp.Response fine =
        t.boss().postJson("/orgs/" + t.org() + "/users", "{\"username\":\"monkey-" + RoomsFixture.unique("u") + "\",\"password\":\"x-password-1\"}");
    assertThat(fine.status()).as("%s", fine).isEqualTo(201);
  }

  @Test
  void aKeyCannotMintKeys() {
    String key =
        create(body("minter", "[\"org-admin\"]", "[\"* /orgs/**\"]", "[]", "[]", null)).path("key").asText();
    RoomsFixture.assertProblem(
        withKey(key, "POST", keysPath, "application/json", body("k", null, "[\"* /**\"]", "[]", "[]", null)),
        403, "forbidden");
    RoomsFixture.assertProblem(get(key, keysPath), 403, "forbidden");
  }
}
