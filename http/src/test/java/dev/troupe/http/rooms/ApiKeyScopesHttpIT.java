package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.http.testkit.TestHttp;
import org.junit.jupiter.api.Test;

/**
 * API key scopes over real sockets: a key reaches only the routes, rooms (REST, listing,
 * WebSocket joins) and cache namespaces its scopes name, and never mints keys.
 */
class ApiKeyScopesHttpIT extends ApiKeyHttpBase {

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
  void aKeyCannotMintKeys() {
    String key =
        create(body("minter", "[\"org-admin\"]", "[\"* /orgs/**\"]", "[]", "[]", null)).path("key").asText();
    RoomsFixture.assertProblem(
        withKey(key, "POST", keysPath, "application/json", body("k", null, "[\"* /**\"]", "[]", "[]", null)),
        403, "forbidden");
    RoomsFixture.assertProblem(get(key, keysPath), 403, "forbidden");
  }
}
