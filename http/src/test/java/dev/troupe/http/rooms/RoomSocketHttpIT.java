package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.RoomsFixture.post;
import static dev.troupe.http.rooms.RoomsFixture.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.rooms.RoomsFixture.Tenant;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The WebSocket contract ({@code GET /ws}) over real sockets, on H2: frames, presence, limits. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomSocketHttpIT {

  static final int MAX_MESSAGE = 8192;
  static final int BURST = 10;
  static final Duration WAIT = Duration.ofSeconds(15);

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
                troupe.rooms.client.posts-per-second = 2
                troupe.rooms.client.post-burst = %d
                troupe.rooms.presence.batch-interval = 50ms
                """
                    .formatted(MAX_MESSAGE, BURST)));
    t = fixture.tenant("ws");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  private WsClient ann() {
    return WsClient.connect(fixture.port(), t.annToken());
  }

  private WsClient bob() {
    return WsClient.connect(fixture.port(), t.bobToken());
  }

  private static JsonNode object(String json) throws Exception {
    return dev.troupe.http.testkit.TestHttp.JSON.readTree(json);
  }

  @Test
  void aJoinIsAcknowledgedWithTheHeadThenThePresenceState() throws Exception {
    String room = room(t);
    post(t.boss(), room, "{\"n\":1}");
    try (WsClient ann = ann()) {
      ann.join(room, "j-1");
      JsonNode ack = ann.next(WAIT);
      assertThat(ack.path("type").asText()).isEqualTo("ack");
      assertThat(ack.path("ref").asText()).isEqualTo("j-1");
      assertThat(ack.path("room").asText()).isEqualTo(room);
      assertThat(ack.path("head").asLong()).isEqualTo(1);
      JsonNode presence = ann.next(WAIT);
      assertThat(presence.path("type").asText()).isEqualTo("presence_state");
      assertThat(presence.path("room").asText()).isEqualTo(room);
      assertThat(presence.path("count").asInt()).isEqualTo(1);
      assertThat(presence.path("connections").asInt()).isEqualTo(1);
      assertThat(presence.path("truncated").asBoolean()).isFalse();
      JsonNode meta = presence.path("users").path("ann").get(0);
      assertThat(meta.path("kind").asText()).isEqualTo("ws");
      assertThat(meta.path("connection").asText()).isNotBlank();
      assertThat(meta.path("node").asText()).isNotBlank();
      assertThat(meta.path("joinedAt").asText()).isNotBlank();
      // Without since, nothing from before the join.
      assertThat(ann.sync()).noneMatch(f -> WsClient.isType(f, "message"));
    }
  }

  @Test
  void aPostIsAcknowledgedAndReachesEveryone() throws Exception {
    String room = room(t);
    try (WsClient ann = ann();
        WsClient bob = bob()) {
      ann.joined(room, "a");
      bob.joined(room, "b");
      ann.send("{\"type\":\"post\",\"room\":\"" + room + "\",\"ref\":\"p-1\",\"body\":{\"text\":\"hi\",\"x\":1.50}}");
      JsonNode ack = ann.next(f -> WsClient.isType(f, "ack") && f.path("ref").asText().equals("p-1"), WAIT);
      assertThat(ack.path("room").asText()).isEqualTo(room);
      assertThat(ack.path("offset").asLong()).isEqualTo(1);
      assertThat(ack.path("sender").asText()).isEqualTo("ann");
      assertThat(ack.path("timestamp").asText()).isNotBlank();
      for (WsClient client : List.of(ann, bob)) {
        JsonNode message = client.next("message");
        assertThat(message.path("room").asText()).isEqualTo(room);
        assertThat(message.path("offset").asLong()).isEqualTo(1);
        assertThat(message.path("sender").asText()).isEqualTo("ann");
        assertThat(message.path("timestamp").asText()).isEqualTo(ack.path("timestamp").asText());
        assertThat(message.path("body").path("text").asText()).isEqualTo("hi");
      }
      String history = t.bob().get("/rooms/" + room + "/messages").body();
      assertThat(history).as("kept as sent").contains("\"body\":{\"text\":\"hi\",\"x\":1.50}");
    }
  }

  @Test
  void presenceDiffsShowJoinsAndLeaves() throws Exception {
    String room = room(t);
    try (WsClient ann = ann()) {
      ann.joined(room, "a");
      try (WsClient bob = bob()) {
        bob.joined(room, "b");
        JsonNode join = ann.next(f -> WsClient.isType(f, "presence_diff") && f.path("joins").has("bob"), WAIT);
        assertThat(join.path("room").asText()).isEqualTo(room);
        assertThat(join.path("joins").path("bob").get(0).path("kind").asText()).isEqualTo("ws");
        assertThat(join.path("count").asInt()).isEqualTo(2);
        assertThat(join.path("connections").asInt()).isEqualTo(2);
        bob.send("type", "leave", "room", room, "ref", "l-1");
        JsonNode left = bob.next(f -> WsClient.isType(f, "ack") && f.path("ref").asText().equals("l-1"), WAIT);
        assertThat(left.path("room").asText()).isEqualTo(room);
        JsonNode leave = ann.next(f -> WsClient.isType(f, "presence_diff") && f.path("leaves").has("bob"), WAIT);
        assertThat(leave.path("count").asInt()).isEqualTo(1);
        // a leave of a room not joined is acknowledged too
        bob.send("type", "leave", "room", room, "ref", "l-2");
        bob.next(f -> WsClient.isType(f, "ack") && f.path("ref").asText().equals("l-2"), WAIT);
        // after leaving, bob gets nothing more from the room: not before ann has it, so never
        post(t.boss(), room, "{}");
        ann.next("message");
        assertThat(bob.sync()).noneMatch(f -> WsClient.isType(f, "message"));
      }
    }
  }

  @Test
  void aUserWithTwoConnectionsIsOneEntryWithTwoMetas() throws Exception {
    String room = room(t);
    try (WsClient first = ann();
        WsClient second = ann();
        WsClient bob = bob()) {
      first.joined(room, "1");
      second.joined(room, "2");
      bob.join(room, "b");
      bob.next("ack");
      JsonNode state = bob.next("presence_state");
      assertThat(state.path("count").asInt()).isEqualTo(2);
      assertThat(state.path("connections").asInt()).isEqualTo(3);
      assertThat(state.path("users").path("ann").size()).isEqualTo(2);
      assertThat(state.path("users").path("ann").get(0).path("connection").asText())
          .isNotEqualTo(state.path("users").path("ann").get(1).path("connection").asText());
    }
  }

  @Test
  void signalsReachTheOthersButNotTheSender() throws Exception {
    String room = room(t);
    try (WsClient ann = ann();
        WsClient bob = bob()) {
      ann.joined(room, "a");
      bob.joined(room, "b");
      ann.send("type", "signal", "room", room, "body", object("{\"typing\":true}"));
      JsonNode signal = bob.next("signal");
      assertThat(signal.path("room").asText()).isEqualTo(room);
      assertThat(signal.path("sender").asText()).isEqualTo("ann");
      assertThat(signal.path("body").path("typing").asBoolean()).isTrue();
      // ann's next frame after a later post is that post's ack/message, never her own signal
      ann.send("type", "post", "room", room, "ref", "p", "body", object("{}"));
      List<JsonNode> frames = List.of(ann.next(WAIT), ann.next(WAIT));
      assertThat(frames).noneMatch(f -> WsClient.isType(f, "signal"));
      // bob had the signal: any copy for ann was queued by then
      assertThat(ann.sync()).noneMatch(f -> WsClient.isType(f, "signal"));
      // signals are not persisted
      assertThat(RoomRestHttpIT.offsets(t.ann().get("/rooms/" + room + "/messages").json())).containsExactly(1L);
    }
  }

  @Test
  void aSignalToARoomNotJoinedIsRefused() throws Exception {
    String room = room(t);
    try (WsClient ann = ann()) {
      ann.send("type", "signal", "room", room, "body", object("{}"));
      JsonNode error = ann.expectError("not_joined");
      assertThat(error.path("room").asText()).isEqualTo(room);
    }
  }

  @Test
  void badFramesAreAnsweredAndTheConnectionStaysUsable() throws Exception {
    String room = room(t);
    try (WsClient ann = ann()) {
      ann.send("not json");
      assertThat(ann.expectError("bad_frame").has("ref")).isFalse();
      ann.send("[1,2]");
      ann.expectError("bad_frame");
      ann.send("{\"type\":\"dance\",\"room\":\"" + room + "\",\"ref\":\"r-1\"}");
      assertThat(ann.expectError("bad_frame").path("ref").asText()).isEqualTo("r-1");
      ann.send("{\"type\":\"join\",\"ref\":\"r-2\"}");
      JsonNode missing = ann.expectError("bad_frame");
      assertThat(missing.path("ref").asText()).isEqualTo("r-2");
      assertThat(missing.path("message").asText()).contains("room");
      ann.send("{\"type\":\"post\",\"room\":\"" + room + "\",\"ref\":\"r-3\",\"body\":[1]}");
      assertThat(ann.expectError("bad_frame").path("ref").asText()).isEqualTo("r-3");
      ann.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"r-4\",\"since\":-1}");
      assertThat(ann.expectError("bad_frame").path("ref").asText()).isEqualTo("r-4");
      ann.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"r-5\"} trailing");
      ann.expectError("bad_frame");
      ann.send("{\"room\":\"" + room + "\",\"ref\":\"r-6\"}");
      ann.expectError("bad_frame");
      ann.sendBinary(new byte[] {1, 2, 3});
      ann.expectError("bad_frame");
      JsonNode ack = ann.joined(room, "ok");
      assertThat(ack.path("room").asText()).isEqualTo(room);
      assertThat(ann.isClosed()).isFalse();
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedAndAFrameOverItClosesTheConnection() throws Exception {
    String room = room(t);
    try (WsClient ann = ann()) {
      ann.joined(room, "a");
      String body = "{\"text\":\"" + "x".repeat(MAX_MESSAGE) + "\"}";
      ann.send("{\"type\":\"post\",\"room\":\"" + room + "\",\"ref\":\"big\",\"body\":" + body + "}");
      JsonNode refused = ann.expectError("too_large");
      assertThat(refused.path("ref").asText()).isEqualTo("big");
      assertThat(ann.isClosed()).isFalse();

      String frame = "{\"type\":\"post\",\"room\":\"" + room + "\",\"ref\":\"huge\",\"body\":{\"text\":\""
          + "x".repeat(MAX_MESSAGE + 4096) + "\"}}";
      ann.send(frame);
      ann.expectError("too_large");
      WsClient.Closed closed = ann.awaitClosed(WAIT);
      assertThat(closed.code()).as("%s", closed).isEqualTo(1000);
    }
    assertThat(RoomRestHttpIT.offsets(t.ann().get("/rooms/" + room + "/messages").json())).isEmpty();
  }

  @Test
  void postsAndSignalsBeyondTheRateAreRefused() throws Exception {
    String room = room(t);
    try (WsClient ann = ann();
        WsClient bob = bob()) {
      ann.joined(room, "a");
      bob.joined(room, "b");
      int sent = BURST * 3;
      for (int i = 0; i < sent; i++) {
        ann.send("type", "signal", "room", room, "ref", "s-" + i, "body", JsonNodeFactory.instance.numberNode(i));
      }
      JsonNode limited = ann.expectError("rate_limited");
      assertThat(limited.path("room").asText()).isEqualTo(room);
      List<JsonNode> received = bob.drain(Duration.ofMillis(700));
      long signals = received.stream().filter(f -> WsClient.isType(f, "signal")).count();
      assertThat(signals).isGreaterThanOrEqualTo(BURST).isLessThan(sent);
      // the connection stays usable
      assertThat(ann.isClosed()).isFalse();
    }
  }

  @Test
  void joinsAndLeavesBeyondTheRateAreRefused() throws Exception {
    String room = room(t);
    try (WsClient ann = ann()) {
      int sent = BURST * 3;
      for (int i = 0; i < sent; i++) {
        ann.send("type", i % 2 == 0 ? "join" : "leave", "room", room, "ref", "r-" + i);
      }
      JsonNode limited =
          ann.next(f -> WsClient.isType(f, "error") && f.path("code").asText().equals("rate_limited"), WAIT);
      assertThat(limited.path("room").asText()).isEqualTo(room);
      assertThat(limited.path("ref").asText()).startsWith("r-");
      assertThat(ann.isClosed()).isFalse();
    }
  }

  @Test
  void aPostRetriedWithItsKeyIsAnsweredWithTheFirstResult() throws Exception {
    String room = room(t);
    try (WsClient ann = ann()) {
      ann.joined(room, "a");
      String frame = "{\"type\":\"post\",\"room\":\"" + room + "\",\"ref\":\"%s\",\"key\":\"k-1\",\"body\":{\"n\":1}}";
      ann.send(frame.formatted("p-1"));
      JsonNode first = ann.next(f -> WsClient.isType(f, "ack") && f.path("ref").asText().equals("p-1"), WAIT);
      ann.send(frame.formatted("p-2"));
      JsonNode retry = ann.next(f -> WsClient.isType(f, "ack") && f.path("ref").asText().equals("p-2"), WAIT);
      assertThat(retry.path("offset").asLong()).isEqualTo(first.path("offset").asLong()).isEqualTo(1);
      assertThat(retry.path("timestamp").asText()).isEqualTo(first.path("timestamp").asText());
      assertThat(RoomRestHttpIT.offsets(t.ann().get("/rooms/" + room + "/messages").json())).containsExactly(1L);

      ann.send("{\"type\":\"post\",\"room\":\"" + room + "\",\"ref\":\"p-3\",\"key\":\"no spaces\",\"body\":{}}");
      JsonNode bad = ann.expectError("bad_frame");
      assertThat(bad.path("ref").asText()).isEqualTo("p-3");
    }
  }

  @Test
  void aFullRoomRefusesTheNextJoin() throws Exception {
    String room = room(t, "{\"maxConnections\":1}");
    try (WsClient ann = ann();
        WsClient bob = bob()) {
      ann.joined(room, "a");
      bob.join(room, "b-1");
      JsonNode full = bob.expectError("room_full");
      assertThat(full.path("ref").asText()).isEqualTo("b-1");
      assertThat(full.path("room").asText()).isEqualTo(room);
    }
  }

  @Test
  void closingARoomSendsClosedAndKeepsTheConnection() throws Exception {
    String room = room(t);
    String other = room(t);
    try (WsClient ann = ann()) {
      ann.joined(room, "a");
      WsClient.awaitLive(t.boss(), ann, room);
      assertThat(t.boss().send("DELETE", "/rooms/" + room, null, null).status()).isEqualTo(204);
      JsonNode closed = ann.next("closed");
      assertThat(closed.path("room").asText()).isEqualTo(room);
      ann.joined(other, "b");
      ann.join(room, "again");
      assertThat(ann.expectError("not_found").path("ref").asText()).isEqualTo("again");
    }
  }

  @Test
  void aKickDisconnectsTheUser() throws Exception {
    String room = room(t);
    try (WsClient ann = ann();
        WsClient bob = bob()) {
      ann.joined(room, "a");
      bob.joined(room, "b");
      WsClient.awaitLive(t.boss(), ann, room);
      assertThat(t.boss().postJson("/rooms/" + room + "/kick", "{\"user\":\"ann\"}").status()).isEqualTo(204);
      JsonNode kicked = ann.expectError("kicked");
      assertThat(kicked.path("message").asText()).isNotBlank();
      assertThat(ann.awaitClosed(WAIT).code()).isEqualTo(1000);
      bob.next(f -> WsClient.isType(f, "presence_diff") && f.path("leaves").has("ann"), WAIT);
      assertThat(bob.isClosed()).isFalse();
    }
  }

  @Test
  void aBanPutsTheUserOutOfTheRoom() throws Exception {
    String room = room(t);
    try (WsClient ann = ann();
        WsClient bob = bob()) {
      ann.joined(room, "a");
      bob.joined(room, "b");
      WsClient.awaitLive(t.boss(), ann, room);
      assertThat(t.boss().send("PUT", "/rooms/" + room + "/bans/ann", null, null).status()).isEqualTo(204);
      JsonNode banned = ann.expectError("banned");
      assertThat(banned.path("room").asText()).isEqualTo(room);
      long after = post(t.boss(), room, "{}").path("offset").asLong();
      // bob, still in, has it: a copy for ann would have been queued by then
      bob.next(f -> WsClient.isType(f, "message") && f.path("offset").asLong() == after, WAIT);
      assertThat(ann.sync()).noneMatch(f -> WsClient.isType(f, "message"));
      ann.join(room, "again");
      assertThat(ann.expectError("forbidden").path("ref").asText()).isEqualTo("again");
    }
  }

  @Test
  void membersOnlyRoomsRefuseOthersAndAnotherOrgsRoomIsNotFound() throws Exception {
    String secret = room(t, "{\"visibility\":\"members\"}");
    String open = room(t);
    Tenant rival = fixture.tenant("rival");
    try (WsClient ann = ann();
        WsClient theirs = WsClient.connect(fixture.port(), rival.bossToken())) {
      ann.join(secret, "s");
      assertThat(ann.expectError("forbidden").path("ref").asText()).isEqualTo("s");
      theirs.join(open, "o");
      assertThat(theirs.expectError("not_found").path("ref").asText()).isEqualTo("o");
      theirs.send("type", "post", "room", open, "ref", "p", "body", object("{}"));
      assertThat(theirs.expectError("not_found").path("ref").asText()).isEqualTo("p");
      ann.join(RoomsFixture.unique("nowhere"), "n");
      ann.expectError("not_found");
    }
  }

  @Test
  void theTokenMayComeAsASubprotocol() throws Exception {
    String room = room(t);
    try (WsClient ann =
        WsClient.connect(
            fixture.port(), builder -> builder.subprotocols("troupe.v1", "troupe.bearer." + t.annToken()), true)) {
      assertThat(ann.subprotocol()).isEqualTo("troupe.v1");
      ann.joined(room, "a");
      ann.send("type", "post", "room", room, "ref", "p", "body", object("{}"));
      assertThat(ann.next(f -> WsClient.isType(f, "ack") && f.has("offset"), WAIT).path("sender").asText()).isEqualTo("ann");
    }
    try (WsClient plain = WsClient.connect(fixture.port(), t.annToken())) {
      assertThat(plain.subprotocol()).isEmpty();
    }
  }

  @Test
  void aHandshakeWithoutAValidTokenIsRefused() {
    assertThatThrownBy(() -> WsClient.connect(fixture.port(), builder -> {}, true))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(401));
    assertThatThrownBy(
            () -> WsClient.connect(fixture.port(), builder -> builder.subprotocols("troupe.v1", "troupe.bearer.forged"), true))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(401));
  }
}
