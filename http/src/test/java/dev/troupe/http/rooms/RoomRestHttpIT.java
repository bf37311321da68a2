package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.RoomsFixture.assertProblem;
import static dev.troupe.http.rooms.RoomsFixture.post;
import static dev.troupe.http.rooms.RoomsFixture.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.rooms.RoomsFixture.Tenant;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The REST contract of rooms over real sockets, on H2: every route, status and limit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomRestHttpIT {

  static final int MAX_MESSAGE = 4096;
  static final int PAGE_LIMIT = 50;
  static final int ROOMS_PER_ORG = 30;

  @TempDir static Path dataDir;

  private RoomsFixture fixture;
  private Tenant t;

  @BeforeAll
  void start() throws Exception {
    fixture =
        RoomsFixture.h2(
            dataDir,
            ConfigFactory.parseString(
                """
                troupe.rooms.max-message-size = %d
                troupe.rooms.history-page-limit = %d
                troupe.rooms.max-rooms-per-org = %d
                """
                    .formatted(MAX_MESSAGE, PAGE_LIMIT, ROOMS_PER_ORG)));
    t = fixture.tenant("rest");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  private static TestHttp.Response delete(TestHttp who, String path) {
    return who.send("DELETE", path, null, null);
  }

  private static TestHttp.Response put(TestHttp who, String path) {
    return who.send("PUT", path, null, null);
  }

  @Test
  void createsUpdatesListsAndClosesARoom() {
    Tenant own = fixture.tenant("crud");
    String room = RoomsFixture.unique("lobby");
    TestHttp.Response created =
        own.boss().putJson("/rooms/" + room, "{\"visibility\":\"members\",\"maxHistory\":100,\"posting\":\"members\"}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    assertThat(created.contentType()).startsWith("application/json");
    JsonNode json = created.json();
    assertThat(json.path("room").asText()).isEqualTo(room);
    assertThat(json.path("visibility").asText()).isEqualTo("members");
    assertThat(json.path("maxHistory").asLong()).isEqualTo(100);
    assertThat(json.path("maxConnections").asInt()).isEqualTo(10000);
    assertThat(json.path("posting").asText()).isEqualTo("members");
    assertThat(json.path("head").asLong()).isZero();
    assertThat(json.path("created").asText()).isNotBlank();
    assertThat(json.path("members").isInt()).isTrue();

    TestHttp.Response updated = own.boss().putJson("/rooms/" + room, "{\"maxConnections\":5}");
    assertThat(updated.status()).as("%s", updated).isEqualTo(200);
    assertThat(updated.json().path("maxConnections").asInt()).isEqualTo(5);
    assertThat(updated.json().path("visibility").asText()).as("a PUT states the whole settings").isEqualTo("public");

    TestHttp.Response empty = put(own.boss(), "/rooms/" + room);
    assertThat(empty.status()).as("%s", empty).isEqualTo(200);

    TestHttp.Response list = own.boss().get("/rooms");
    assertThat(list.status()).as("%s", list).isEqualTo(200);
    List<String> names = new ArrayList<>();
    list.json().path("rooms").forEach(r -> names.add(r.path("room").asText()));
    assertThat(names).containsExactly(room);

    TestHttp.Response one = own.ann().get("/rooms/" + room);
    assertThat(one.status()).as("%s", one).isEqualTo(200);
    assertThat(one.json().path("room").asText()).isEqualTo(room);

    assertThat(delete(own.boss(), "/rooms/" + room).status()).isEqualTo(204);
    assertProblem(own.ann().get("/rooms/" + room), 404, "not_found");
    assertProblem(delete(own.boss(), "/rooms/" + room), 404, "not_found");
    assertProblem(own.ann().postJson("/rooms/" + room + "/messages", "{}"), 404, "not_found");
    assertThat(own.boss().get("/rooms").json().path("rooms").size()).isZero();

    TestHttp.Response reopened = own.boss().putJson("/rooms/" + room, "{}");
    assertThat(reopened.status()).as("reopening a closed room: %s", reopened).isEqualTo(201);
  }

  @Test
  void refusesBadSettings() {
    String path = "/rooms/" + RoomsFixture.unique("bad");
    assertProblem(t.boss().putJson(path, "{\"color\":\"red\"}"), 400, "invalid_parameter");
    assertProblem(t.boss().putJson(path, "{\"visibility\":\"secret\"}"), 400, "invalid_parameter");
    assertProblem(t.boss().putJson(path, "{\"posting\":1}"), 400, "invalid_parameter");
    assertProblem(t.boss().putJson(path, "{\"maxHistory\":0}"), 400, "invalid_parameter");
    assertProblem(t.boss().putJson(path, "{\"maxConnections\":\"many\"}"), 400, "invalid_parameter");
    assertProblem(t.boss().putJson(path, "{\"maxConnections\":100000000}"), 400, "invalid_parameter");
    assertProblem(t.boss().putJson(path, "[]"), 400, "malformed_json");
    assertProblem(t.boss().putJson(path, "{nope"), 400, "malformed_json");
    assertProblem(t.boss().putJson("/rooms/bad:name", "{}"), 400, "invalid_parameter");
    assertProblem(t.ann().get(path), 404, "not_found");
  }

  @Test
  void administrationNeedsRoomsAdminAndATokenIsRequired() {
    String room = room(t);
    assertProblem(t.ann().putJson("/rooms/" + room, "{}"), 403, "forbidden");
    assertProblem(delete(t.ann(), "/rooms/" + room), 403, "forbidden");
    assertProblem(put(t.ann(), "/rooms/" + room + "/members/bob"), 403, "forbidden");
    assertProblem(put(t.ann(), "/rooms/" + room + "/bans/bob"), 403, "forbidden");
    assertProblem(t.ann().postJson("/rooms/" + room + "/kick", "{\"user\":\"bob\"}"), 403, "forbidden");
    TestHttp.Response anonymous = fixture.anonymous.get("/rooms/" + room + "/messages");
    assertProblem(anonymous, 401, "unauthenticated");
    assertProblem(fixture.anonymous.get("/rooms"), 401, "unauthenticated");
  }

  @Test
  void anotherOrgsRoomDoesNotExist() {
    String room = room(t);
    post(t.ann(), room, "{\"text\":\"mine\"}");
    Tenant rival = fixture.tenant("rival");
    assertProblem(rival.boss().get("/rooms/" + room), 404, "not_found");
    assertProblem(rival.ann().get("/rooms/" + room + "/messages"), 404, "not_found");
    assertProblem(rival.ann().postJson("/rooms/" + room + "/messages", "{}"), 404, "not_found");
    assertProblem(rival.ann().get("/rooms/" + room + "/presence"), 404, "not_found");
    assertProblem(delete(rival.boss(), "/rooms/" + room), 404, "not_found");
    assertThat(rival.boss().get("/rooms").json().path("rooms").size()).isZero();
    // The same name in the rival org is another room.
    TestHttp.Response theirs = rival.boss().putJson("/rooms/" + room, "{}");
    assertThat(theirs.status()).as("%s", theirs).isEqualTo(201);
    assertThat(theirs.json().path("head").asLong()).isZero();
  }

  @Test
  void postsAndPagesHistory() {
    String room = room(t);
    JsonNode first = post(t.ann(), room, "{\"text\":\"hello\",\"n\":1.10}");
    assertThat(first.path("room").asText()).isEqualTo(room);
    assertThat(first.path("offset").asLong()).isEqualTo(1);
    assertThat(first.path("sender").asText()).isEqualTo("ann");
    assertThat(first.path("timestamp").asText()).isNotBlank();
    for (int i = 2; i <= 20; i++) {
      assertThat(post(i % 2 == 0 ? t.bob() : t.ann(), room, "{\"n\":" + i + "}").path("offset").asLong()).isEqualTo(i);
    }

    TestHttp.Response all = t.ann().get("/rooms/" + room + "/messages");
    assertThat(all.status()).as("%s", all).isEqualTo(200);
    assertThat(all.json().path("head").asLong()).isEqualTo(20);
    assertThat(offsets(all.json())).containsExactlyElementsOf(range(1, 20));
    JsonNode one = all.json().path("messages").get(0);
    assertThat(one.path("sender").asText()).isEqualTo("ann");
    assertThat(one.path("timestamp").asText()).isEqualTo(first.path("timestamp").asText());
    assertThat(all.body()).as("the body is kept as sent").contains("\"body\":{\"text\":\"hello\",\"n\":1.10}");
    assertThat(ItNames.fieldNames(one)).containsExactlyInAnyOrder("offset", "sender", "timestamp", "body");

    assertThat(offsets(t.ann().get("/rooms/" + room + "/messages?after=10&limit=5").json())).containsExactlyElementsOf(range(11, 15));
    assertThat(offsets(t.ann().get("/rooms/" + room + "/messages?before=10&limit=3").json())).containsExactlyElementsOf(range(7, 9));
    assertThat(offsets(t.ann().get("/rooms/" + room + "/messages?after=5&before=8").json())).containsExactlyElementsOf(range(6, 7));
    assertThat(offsets(t.ann().get("/rooms/" + room + "/messages?after=20").json())).isEmpty();
    assertThat(offsets(t.ann().get("/rooms/" + room + "/messages?limit=1000").json())).hasSize(20);

    for (String bad : List.of("after=-1", "after=x", "before=1.5", "limit=0", "limit=abc", "limit=-3")) {
      assertProblem(t.ann().get("/rooms/" + room + "/messages?" + bad), 400, "invalid_parameter");
    }
    assertProblem(t.ann().get("/rooms/" + RoomsFixture.unique("none") + "/messages"), 404, "not_found");
  }

  @Test
  void historyPagesAreCutToThePageLimit() {
    String room = room(t);
    for (int i = 1; i <= PAGE_LIMIT + 5; i++) {
      post(t.ann(), room, "{\"n\":" + i + "}");
    }
    JsonNode page = t.ann().get("/rooms/" + room + "/messages").json();
    assertThat(offsets(page)).containsExactlyElementsOf(range(1, PAGE_LIMIT));
    assertThat(page.path("head").asLong()).isEqualTo(PAGE_LIMIT + 5);
    JsonNode big = t.ann().get("/rooms/" + room + "/messages?limit=100000").json();
    assertThat(offsets(big)).hasSize(PAGE_LIMIT);
  }

  @Test
  void refusesBodiesThatAreNotOneSmallObject() {
    String room = room(t);
    String path = "/rooms/" + room + "/messages";
    assertProblem(t.ann().postJson(path, "[1,2]"), 400, "malformed_json");
    assertProblem(t.ann().postJson(path, "\"text\""), 400, "malformed_json");
    assertProblem(t.ann().postJson(path, "{\"a\":1} {\"b\":2}"), 400, "malformed_json");
    assertProblem(t.ann().postJson(path, "{\"a\":"), 400, "malformed_json");
    String big = "{\"text\":\"" + "x".repeat(MAX_MESSAGE) + "\"}";
    assertProblem(t.ann().postJson(path, big), 413, "payload_too_large");
    String wide = "{\"text\":\"" + "é".repeat(MAX_MESSAGE / 2) + "\"}";
    assertThat(wide.length()).isLessThan(MAX_MESSAGE);
    assertProblem(t.ann().postJson(path, wide), 413, "payload_too_large");
    String fits = "{\"text\":\"" + "x".repeat(MAX_MESSAGE - 20) + "\"}";
    assertThat(post(t.ann(), room, fits).path("offset").asLong()).isEqualTo(1);
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstPost() {
    String room = room(t);
    String path = "/rooms/" + room + "/messages";
    TestHttp.Response first = t.ann().postJson(path, "{\"text\":\"once\"}", "Idempotency-Key", "key-1");
    assertThat(first.status()).as("%s", first).isEqualTo(201);
    assertThat(first.header("Idempotent-Replayed")).isEmpty();
    TestHttp.Response again = t.ann().postJson(path, "{\"text\":\"once\"}", "Idempotency-Key", "key-1");
    assertThat(again.status()).as("%s", again).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).contains("true");
    assertThat(again.json()).isEqualTo(first.json());
    TestHttp.Response other = t.bob().postJson(path, "{\"text\":\"bob\"}", "Idempotency-Key", "key-1");
    assertThat(other.json().path("offset").asLong()).as("keys are per sender").isEqualTo(2);
    assertThat(offsets(t.ann().get(path).json())).containsExactly(1L, 2L);

    assertProblem(t.ann().postJson(path, "{}", "Idempotency-Key", "k".repeat(129)), 400, "invalid_parameter");
    assertProblem(t.ann().postJson(path, "{}", "Idempotency-Key", "with space"), 400, "invalid_parameter");
  }

  @Test
  void membersOnlyRoomsAreForMembersAndAdmins() {
    String room = room(t, "{\"visibility\":\"members\"}");
    String messages = "/rooms/" + room + "/messages";
    assertThat(post(t.boss(), room, "{\"from\":\"boss\"}").path("offset").asLong()).isEqualTo(1);
    assertProblem(t.ann().get(messages), 403, "forbidden");
    assertProblem(t.ann().postJson(messages, "{}"), 403, "forbidden");
    assertProblem(t.ann().get("/rooms/" + room + "/presence"), 403, "forbidden");

    assertThat(put(t.boss(), "/rooms/" + room + "/members/ann").status()).isEqualTo(204);
    assertThat(t.ann().get(messages).status()).isEqualTo(200);
    assertThat(post(t.ann(), room, "{}").path("offset").asLong()).isEqualTo(2);
    assertProblem(t.bob().get(messages), 403, "forbidden");

    assertThat(delete(t.boss(), "/rooms/" + room + "/members/ann").status()).isEqualTo(204);
    assertProblem(t.ann().get(messages), 403, "forbidden");
    assertProblem(put(t.boss(), "/rooms/" + room + "/members/no%20body"), 400, "invalid_parameter");
  }

  @Test
  void postingRulesAndBansApply() {
    String announcements = room(t, "{\"posting\":\"admins\"}");
    assertProblem(t.ann().postJson("/rooms/" + announcements + "/messages", "{}"), 403, "forbidden");
    assertThat(post(t.boss(), announcements, "{}").path("offset").asLong()).isEqualTo(1);
    assertThat(t.ann().get("/rooms/" + announcements + "/messages").status()).isEqualTo(200);

    String room = room(t);
    assertThat(put(t.boss(), "/rooms/" + room + "/bans/ann").status()).isEqualTo(204);
    assertProblem(t.ann().postJson("/rooms/" + room + "/messages", "{}"), 403, "forbidden");
    assertProblem(t.ann().get("/rooms/" + room + "/messages"), 403, "forbidden");
    assertThat(post(t.bob(), room, "{}").path("offset").asLong()).isEqualTo(1);
    assertThat(delete(t.boss(), "/rooms/" + room + "/bans/ann").status()).isEqualTo(204);
    assertThat(post(t.ann(), room, "{}").path("offset").asLong()).isEqualTo(2);
  }

  @Test
  void kickAnswersNoContentAndChecksItsBody() {
    String room = room(t);
    assertThat(t.boss().postJson("/rooms/" + room + "/kick", "{\"user\":\"ann\"}").status()).isEqualTo(204);
    assertProblem(t.boss().postJson("/rooms/" + room + "/kick", "{}"), 400, "invalid_parameter");
    assertProblem(t.boss().postJson("/rooms/" + room + "/kick", "{\"user\":\"ann\",\"why\":1}"), 400, "invalid_parameter");
    assertProblem(t.boss().postJson("/rooms/" + room + "/kick", "nope"), 400, "malformed_json");
    assertProblem(t.boss().postJson("/rooms/" + RoomsFixture.unique("none") + "/kick", "{\"user\":\"ann\"}"), 404, "not_found");
  }

  @Test
  void presenceListsLiveConnections() throws Exception {
    String room = room(t);
    TestHttp.Response empty = t.ann().get("/rooms/" + room + "/presence");
    assertThat(empty.status()).as("%s", empty).isEqualTo(200);
    assertThat(ItNames.fieldNames(empty.json())).containsExactlyInAnyOrder("room", "count", "connections", "users", "truncated");
    assertThat(empty.json().path("count").asInt()).isZero();
    try (WsClient ws = WsClient.connect(fixture.port(), t.bobToken())) {
      ws.joined(room, "j1");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonNode presence = t.ann().get("/rooms/" + room + "/presence").json();
                assertThat(presence.path("count").asInt()).isEqualTo(1);
                assertThat(presence.path("connections").asInt()).isEqualTo(1);
                JsonNode meta = presence.path("users").path("bob").get(0);
                assertThat(meta.path("kind").asText()).isEqualTo("ws");
                assertThat(ItNames.fieldNames(meta)).containsExactlyInAnyOrder("connection", "node", "kind", "joinedAt");
              });
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(t.ann().get("/rooms/" + room + "/presence").json().path("count").asInt()).isZero());
  }

  @Test
  void anOrgHasAtMostItsRoomLimit() {
    Tenant own = fixture.tenant("limit");
    for (int i = 0; i < ROOMS_PER_ORG; i++) {
      room(own);
    }
    TestHttp.Response refused = own.boss().putJson("/rooms/" + RoomsFixture.unique("one-more"), "{}");
    assertProblem(refused, 409, "conflict");
    assertThat(refused.json().path("reason").asText()).isEqualTo("too_many_rooms");
  }

  @Test
  void unknownPathsAndMethodsUnderRoomsAreProblems() {
    String room = room(t);
    assertProblem(t.ann().send("PATCH", "/rooms/" + room, "application/json", "{}"), 405, "method_not_allowed");
    assertProblem(t.ann().get("/rooms/" + room + "/nothing"), 404, "not_found");
  }

  static List<Long> offsets(JsonNode page) {
    List<Long> offsets = new ArrayList<>();
    page.path("messages").forEach(m -> offsets.add(m.path("offset").asLong()));
    return offsets;
  }

  static List<Long> range(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      values.add(i);
    }
    return values;
  }
}
