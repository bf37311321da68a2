package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.RoomsFixture.room;
import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * A client that stops reading is cut off ({@code slow_consumer}, then close) once its small
 * buffer is full, while another client in the same room keeps receiving every message promptly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomSlowConsumerHttpIT {

  static final int BUFFER = 8;
  static final int BODY = 32 * 1024;
  /** Far more than the socket buffers between the node and a stalled client hold. */
  static final int MAX_POSTS = 1500;
  static final Duration PROMPT = Duration.ofSeconds(2);

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
                troupe.rooms.client.buffer = %d
                troupe.rooms.max-message-size = 64KiB
                troupe.rooms.presence.batch-interval = 50ms
                """
                    .formatted(BUFFER)));
    t = fixture.tenant("slow");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  @Test
  void aClientThatStopsReadingIsCutOffAndOthersKeepUp() throws Exception {
    String room = room(t);
    String body = "{\"text\":\"" + "x".repeat(BODY) + "\"}";
    try (WsClient fast = WsClient.connect(fixture.port(), t.annToken());
        WsClient slow =
            WsClient.connect(fixture.port(), b -> b.header("Authorization", "Bearer " + t.bobToken()), false)) {
      fast.joined(room, "f");
      slow.join(room, "s");
      // the slow client reads nothing from here on; wait until the node counts it present
      fast.next(f -> WsClient.isType(f, "presence_diff") && f.path("joins").has("bob"), Duration.ofSeconds(15));

      List<Long> latenciesMs = new ArrayList<>();
      boolean cutOff = false;
      int posts = 0;
      while (posts < MAX_POSTS) {
        posts++;
        long start = System.nanoTime();
        JsonNode posted = RoomsFixture.post(t.boss(), room, body);
        JsonNode message = fast.next(f -> WsClient.isType(f, "message") && f.path("offset").asLong() == posted.path("offset").asLong(), PROMPT);
        latenciesMs.add((System.nanoTime() - start) / 1_000_000);
        assertThat(message.path("body").path("text").asText()).hasSize(BODY);
        if (leftByNow(room)) {
          cutOff = true;
          break;
        }
      }
      assertThat(cutOff).as("the stalled client was cut off within %d posts", MAX_POSTS).isTrue();
      // the fast client keeps receiving promptly after the cut, too
      for (int i = 0; i < 20; i++) {
        JsonNode posted = RoomsFixture.post(t.boss(), room, "{\"after\":" + i + "}");
        fast.next(f -> WsClient.isType(f, "message") && f.path("offset").asLong() == posted.path("offset").asLong(), PROMPT);
      }
      assertThat(fast.isClosed()).isFalse();

      // what the stalled client finally reads ends with slow_consumer and a normal close
      slow.startReading();
      JsonNode last = null;
      while (true) {
        try {
          JsonNode frame = slow.next(Duration.ofSeconds(15));
          last = frame;
        } catch (AssertionError ended) {
          break;
        }
      }
      WsClient.Closed closed = slow.awaitClosed(Duration.ofSeconds(15));
      assertThat(closed.error()).as("%s", closed).isNull();
      assertThat(closed.code()).isEqualTo(1000);
      assertThat(last).as("last frame of the stalled client").isNotNull();
      assertThat(last.path("type").asText()).isEqualTo("error");
      assertThat(last.path("code").asText()).isEqualTo("slow_consumer");
      System.out.printf("slow consumer cut after %d posts; fast client's latency max %d ms; slow client ended %s after %s%n",
          posts, latenciesMs.stream().mapToLong(Long::longValue).max().orElse(0), closed, last);
    }
  }

  private boolean leftByNow(String room) {
    TestHttp.Response presence = t.ann().get("/rooms/" + room + "/presence");
    return !presence.json().path("users").has("bob");
  }
}
