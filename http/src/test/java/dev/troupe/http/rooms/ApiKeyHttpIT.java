package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.http.testkit.TestHttp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * API keys over real sockets: created by a project's admins (shown once), used with {@code
 * Authorization: ApiKey}, refused alike when forged, unknown, malformed, revoked or expired; who may
 * create what; body limits. Scopes: {@link ApiKeyScopesHttpIT}. (In the rooms package for its
 * fixture and WebSocket client.)
 */
class ApiKeyHttpIT extends ApiKeyHttpBase {

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

}
