package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.testkit.GoldenSamples;
import dev.troupe.persistence.audit.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted cache-bucket event and its state still read back from their golden bytes. */
class BucketSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final AuditRecord AUDIT =
      new AuditRecord("ann", "acme", "req-1", "node-a", Instant.parse("2026-01-02T03:04:05.678Z"));
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final Instant T1 = Instant.parse("2026-01-02T04:04:05Z");
  private static final byte[] VALUE = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void eventsAndStateReadBackFromGoldenSamples() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put(
        "cache-bucket/Stored-v1",
        new BucketEvent.Stored(
            AUDIT, "user:42", VALUE, "application/json", 7, T0, T1, List.of("users", "org.acme"),
            List.of("user:1"), List.of("user:2", "user:3")));
    events.put("cache-bucket/Deleted-v1", new BucketEvent.Deleted(AUDIT, "user:42"));
    events.put(
        "cache-bucket/Invalidated-v1",
        new BucketEvent.Invalidated(AUDIT, "users", List.of("user:5", "user:6")));
    events.put("cache-bucket/Flushed-v1", new BucketEvent.Flushed(AUDIT, 12));
    events.put("cache-bucket/Expired-v1", new BucketEvent.Expired(AUDIT, List.of("user:7")));
    GoldenSamples.assertCovers(BucketEvent.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put(
        "cache-bucket/State-v1",
        new BucketState(
            Map.of(
                "user:42",
                new BucketReply.Entry("user:42", VALUE, "application/json", 7, T0, T1, List.of("users")),
                "user:43",
                new BucketReply.Entry("user:43", new byte[0], "text/plain", 8, T1, T1.plusSeconds(60),
                    List.of())),
            8,
            3,
            5));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }
}
