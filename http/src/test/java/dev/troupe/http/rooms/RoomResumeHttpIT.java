package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.RoomsFixture.post;
import static dev.troupe.http.rooms.RoomsFixture.room;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.NodeRuntime;
import dev.troupe.http.rooms.RoomsFixture.Tenant;
import dev.troupe.http.testkit.SseReader;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Posting, history and resuming across reconnects over real sockets: a client that reconnects
 * while messages keep coming gets every one of 1,000 messages exactly once, in order, by WebSocket
 * {@code since} and by SSE {@code Last-Event-ID}. On H2; {@link RoomCassandraHttpIT} runs the same
 * on Cassandra.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomResumeHttpIT {

  static final int MESSAGES = 1000;
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dataDir;

  protected RoomsFixture fixture;
  private Tenant t;

  static Config config() {
    return ConfigFactory.parseString("troupe.rooms.history-page-limit = 500");
  }

  protected NodeRuntime startNode(Config config) throws Exception {
    return TestNodes.h2(dataDir, config);
  }

  @BeforeAll
  void start() throws Exception {
    fixture = RoomsFixture.on(startNode(config()));
    t = fixture.tenant("resume");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  /** Posts MESSAGES messages as bob on another thread, one after the other. */
  private CompletableFuture<Void> postAll(String room) {
    return CompletableFuture.runAsync(
        () -> {
          for (int i = 1; i <= MESSAGES; i++) {
            JsonNode posted = post(t.bob(), room, "{\"n\":" + i + "}");
            assertThat(posted.path("offset").asLong()).isEqualTo(i);
          }
        });
  }

  @Test
  void aWebSocketResumesBySinceWithoutGapOrDuplicate() throws Exception {
    String room = room(t);
    List<Long> seen = new ArrayList<>();
    CompletableFuture<Void> posting;
    try (WsClient first = WsClient.connect(fixture.port(), t.annToken())) {
      first.joined(room, "j");
      posting = postAll(room);
      while (seen.size() < MESSAGES / 3) {
        JsonNode message = first.next("message");
        seen.add(message.path("offset").asLong());
        assertThat(message.path("body").path("n").asLong()).isEqualTo(message.path("offset").asLong());
      }
    }
    long last = seen.get(seen.size() - 1);
    try (WsClient second = WsClient.connect(fixture.port(), t.annToken())) {
      second.send("type", "join", "room", room, "ref", "again", "since", last);
      JsonNode ack = second.next("ack");
      assertThat(ack.path("ref").asText()).isEqualTo("again");
      while (seen.size() < MESSAGES) {
        seen.add(second.next("message").path("offset").asLong());
      }
      posting.get(2, TimeUnit.MINUTES);
      // A sentinel after the last: the next message is it, so no duplicate came before it.
      long sentinel = post(t.bob(), room, "{\"n\":0}").path("offset").asLong();
      assertThat(second.next("message").path("offset").asLong()).isEqualTo(sentinel).isEqualTo(MESSAGES + 1);
    }
    assertThat(seen).containsExactlyElementsOf(RoomRestHttpIT.range(1, MESSAGES));
  }

  @Test
  void anEventStreamResumesByLastEventIdWithoutGapOrDuplicate() throws Exception {
    String room = room(t);
    List<Long> seen = new ArrayList<>();
    CompletableFuture<Void> posting;
    String lastId;
    try (SseReader first = events(room)) {
      assertThat(first.status()).isEqualTo(200);
      SseReader.Event presence = first.next(WAIT);
      assertThat(presence.event()).isEqualTo("presence");
      assertThat(presence.id()).isNull();
      posting = postAll(room);
      lastId = null;
      while (seen.size() < MESSAGES / 3) {
        SseReader.Event event = first.next(WAIT);
        if (!event.event().equals("message")) {
          assertThat(event.id()).as("only messages carry ids: %s", event).isNull();
          continue;
        }
        JsonNode data = TestHttp.JSON.readTree(event.data());
        assertThat(event.id()).isEqualTo(Long.toString(data.path("offset").asLong()));
        assertThat(data.path("room").asText()).isEqualTo(room);
        seen.add(data.path("offset").asLong());
        lastId = event.id();
      }
    }
    try (SseReader second = events(room, "Last-Event-ID", lastId)) {
      SseReader.Event presence = second.next(WAIT);
      assertThat(presence.event()).as("the full presence comes first").isEqualTo("presence");
      while (seen.size() < MESSAGES) {
        SseReader.Event event = second.next(WAIT);
        if (event.event().equals("message")) {
          seen.add(Long.parseLong(event.id()));
        }
      }
      posting.get(2, TimeUnit.MINUTES);
    }
    assertThat(seen).containsExactlyElementsOf(RoomRestHttpIT.range(1, MESSAGES));
  }

  @Test
  void postsAreDurableAndPagedWithIdempotentRetries() {
    String room = room(t);
    String path = "/rooms/" + room + "/messages";
    for (int i = 1; i <= 30; i++) {
      post(t.ann(), room, "{\"n\":" + i + "}");
    }
    TestHttp.Response first = t.ann().postJson(path, "{\"n\":31}", "Idempotency-Key", "k-31");
    TestHttp.Response retry = t.ann().postJson(path, "{\"n\":31}", "Idempotency-Key", "k-31");
    assertThat(retry.json()).isEqualTo(first.json());
    assertThat(retry.header("Idempotent-Replayed")).contains("true");
    JsonNode all = t.ann().get(path).json();
    assertThat(all.path("head").asLong()).isEqualTo(31);
    assertThat(RoomRestHttpIT.offsets(all)).containsExactlyElementsOf(RoomRestHttpIT.range(1, 31));
    all.path("messages").forEach(m -> assertThat(m.path("body").path("n").asLong()).isEqualTo(m.path("offset").asLong()));
    assertThat(RoomRestHttpIT.offsets(t.ann().get(path + "?after=10&limit=5").json()))
        .containsExactlyElementsOf(RoomRestHttpIT.range(11, 15));
    assertThat(RoomRestHttpIT.offsets(t.ann().get(path + "?before=31&limit=3").json()))
        .containsExactlyElementsOf(RoomRestHttpIT.range(28, 30));
    assertThat(RoomRestHttpIT.offsets(t.ann().get(path + "?after=3&before=6").json()))
        .containsExactlyElementsOf(RoomRestHttpIT.range(4, 5));
  }

  private SseReader events(String room, String... headers) {
    return SseReader.open(t.ann(), t.ann().request("/rooms/" + room + "/events", SseReader.acceptingEvents(headers)).GET().timeout(Duration.ofMinutes(5)).build());
  }
}
