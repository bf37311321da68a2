package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.RoomsFixture.assertProblem;
import static dev.troupe.http.rooms.RoomsFixture.post;
import static dev.troupe.http.rooms.RoomsFixture.room;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.rooms.RoomsFixture.Tenant;
import dev.troupe.http.testkit.SseReader;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /rooms/{room}/events} over real sockets, on H2: events, ids, resume, end, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomEventsHttpIT {

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
                troupe.streams.heartbeat-interval = 300ms
                troupe.rooms.presence.batch-interval = 50ms
                """));
    t = fixture.tenant("sse");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  private SseReader events(TestHttp who, String pathAndQuery, String... headers) {
    return SseReader.get(who, pathAndQuery, headers);
  }

  @Test
  void presenceComesFirstThenMessagesWithTheirOffsetAsId() throws Exception {
    String room = room(t);
    try (SseReader sse = events(t.ann(), "/rooms/" + room + "/events")) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.contentType()).startsWith("text/event-stream");
      SseReader.Event presence = sse.next(WAIT);
      assertThat(presence.event()).isEqualTo("presence");
      assertThat(presence.id()).isNull();
      JsonNode state = TestHttp.JSON.readTree(presence.data());
      assertThat(state.path("room").asText()).isEqualTo(room);
      assertThat(state.path("users").path("ann").get(0).path("kind").asText()).isEqualTo("sse");
      assertThat(state.path("count").asInt()).isEqualTo(1);

      JsonNode posted = post(t.bob(), room, "{\"text\":\"hello\"}");
      SseReader.Event message = next(sse, "message");
      assertThat(message.id()).isEqualTo("1");
      JsonNode data = TestHttp.JSON.readTree(message.data());
      assertThat(ItNames.fieldNames(data)).containsExactly("room", "offset", "sender", "timestamp", "body");
      assertThat(data.path("room").asText()).isEqualTo(room);
      assertThat(data.path("offset").asLong()).isEqualTo(1);
      assertThat(data.path("sender").asText()).isEqualTo("bob");
      assertThat(data.path("timestamp").asText()).isEqualTo(posted.path("timestamp").asText());
      assertThat(data.path("body").path("text").asText()).isEqualTo("hello");

      await().atMost(WAIT).until(() -> sse.heartbeats() > 0);
    }
  }

  @Test
  void presenceDiffsCarryNoId() throws Exception {
    String room = room(t);
    try (SseReader sse = events(t.ann(), "/rooms/" + room + "/events")) {
      assertThat(sse.next(WAIT).event()).isEqualTo("presence");
      try (WsClient bob = WsClient.connect(fixture.port(), t.bobToken())) {
        bob.joined(room, "b");
        SseReader.Event diff = next(sse, "presence_diff", "bob");
        assertThat(diff.id()).isNull();
        JsonNode data = TestHttp.JSON.readTree(diff.data());
        assertThat(data.path("room").asText()).isEqualTo(room);
        assertThat(data.path("joins").has("bob")).isTrue();
        assertThat(data.path("count").asInt()).isEqualTo(2);
      }
      SseReader.Event leave = next(sse, "presence_diff", "\"leaves\":{\"bob\"");
      assertThat(leave.id()).isNull();
    }
  }

  @Test
  void sinceReplaysTheMessagesAfterIt() throws Exception {
    String room = room(t);
    for (int i = 1; i <= 5; i++) {
      post(t.bob(), room, "{\"n\":" + i + "}");
    }
    try (SseReader sse = events(t.ann(), "/rooms/" + room + "/events?since=2")) {
      assertThat(sse.next(WAIT).event()).isEqualTo("presence");
      for (int i = 3; i <= 5; i++) {
        assertThat(next(sse, "message").id()).isEqualTo(Integer.toString(i));
      }
      post(t.bob(), room, "{\"n\":6}");
      assertThat(next(sse, "message").id()).isEqualTo("6");
    }
    try (SseReader sse = events(t.ann(), "/rooms/" + room + "/events?since=1", "Last-Event-ID", "4")) {
      assertThat(sse.next(WAIT).event()).isEqualTo("presence");
      assertThat(next(sse, "message").id()).as("Last-Event-ID wins over since").isEqualTo("5");
    }
  }

  @Test
  void closingTheRoomSendsClosedAndEndsTheStream() throws Exception {
    String room = room(t);
    try (SseReader sse = events(t.ann(), "/rooms/" + room + "/events")) {
      assertThat(sse.next(WAIT).event()).isEqualTo("presence");
      awaitLive(sse, room);
      assertThat(t.boss().send("DELETE", "/rooms/" + room, null, null).status()).isEqualTo(204);
      SseReader.Event closed = next(sse, "closed");
      assertThat(TestHttp.JSON.readTree(closed.data()).path("room").asText()).isEqualTo(room);
      await().atMost(WAIT).until(sse::ended);
    }
  }

  @Test
  void aKickEndsTheStream() throws Exception {
    String room = room(t);
    try (SseReader sse = events(t.ann(), "/rooms/" + room + "/events")) {
      assertThat(sse.next(WAIT).event()).isEqualTo("presence");
      awaitLive(sse, room);
      assertThat(t.boss().postJson("/rooms/" + room + "/kick", "{\"user\":\"ann\"}").status()).isEqualTo(204);
      await().atMost(WAIT).until(sse::ended);
    }
  }

  @Test
  void refusalsAreProblemsBeforeTheStreamStarts() {
    String room = room(t);
    String secret = room(t, "{\"visibility\":\"members\"}");
    assertProblem(t.ann().get("/rooms/" + room + "/events?since=-1", "Accept", "text/event-stream"), 400, "invalid_parameter");
    assertProblem(t.ann().get("/rooms/" + room + "/events?since=x"), 400, "invalid_parameter");
    assertProblem(t.ann().get("/rooms/" + room + "/events", "Last-Event-ID", "abc"), 400, "invalid_parameter");
    assertProblem(t.ann().get("/rooms/" + RoomsFixture.unique("none") + "/events"), 404, "not_found");
    assertProblem(t.ann().get("/rooms/" + secret + "/events"), 403, "forbidden");
    assertProblem(fixture.anonymous.get("/rooms/" + room + "/events"), 401, "unauthenticated");
    Tenant rival = fixture.tenant("rival");
    assertProblem(rival.boss().get("/rooms/" + room + "/events"), 404, "not_found");
  }

  /**
   * Waits until the room's topic delivers to this node's hub: posts until a message reaches the
   * stream within 400 ms (see {@link WsClient#awaitLive}).
   */
  private void awaitLive(SseReader sse, String room) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String offset = post(t.boss(), room, "{\"sync\":true}").path("offset").asText();
      long until = System.nanoTime() + Duration.ofMillis(400).toNanos();
      try {
        while (System.nanoTime() < until) {
          SseReader.Event event = sse.next(Duration.ofNanos(Math.max(1, until - System.nanoTime())));
          if ("message".equals(event.event()) && offset.equals(event.id())) {
            return;
          }
        }
      } catch (AssertionError notYet) {
        // not through the topic yet
      }
    }
    throw new AssertionError("no message reached the stream live within " + WAIT);
  }

  /** The next event of the type, skipping others (presence diffs come and go). */
  private static SseReader.Event next(SseReader sse, String type) throws InterruptedException {
    return next(sse, type, "");
  }

  /** The next event of the type whose data contains the text. */
  private static SseReader.Event next(SseReader sse, String type, String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      SseReader.Event event = sse.next(WAIT);
      if (type.equals(event.event()) && event.data().contains(text)) {
        return event;
      }
    }
    throw new AssertionError("no " + type + " event within " + WAIT);
  }
}
