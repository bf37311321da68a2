package dev.troupe.actors.cache.sweep;

import dev.troupe.actors.testkit.GoldenSamples;
import dev.troupe.persistence.audit.AuditRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted sweep schedule event and its snapshot still read back from their golden bytes. */
class CacheScheduleSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final AuditRecord AUDIT =
      new AuditRecord(
          "system", "system", "cache-sweep", "node-a", Instant.parse("2026-01-02T03:04:05.678Z"));

  private static final Instant DUE = Instant.parse("2026-01-02T04:00:00.250Z");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void eventsAndSnapshotsReadBackFromGoldenSamples() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put(
        "cache-schedule/Scheduled-v1",
        new CacheSchedule.Scheduled(AUDIT, "cache-bucket", "acme:pages~12", DUE));
    events.put(
        "cache-schedule/Unscheduled-v1",
        new CacheSchedule.Unscheduled(AUDIT, "cache-memory-bucket", "acme:http-responses~3"));
    GoldenSamples.assertCovers(CacheSchedule.Event.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put(
        "cache-schedule/State-v1",
        new CacheSchedule.State(
            Map.of(
                CacheSchedule.slot("cache-bucket", "acme:pages~12"), DUE,
                CacheSchedule.slot("cache-memory-bucket", "beta:m~0"), DUE.plusSeconds(30))));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }
}
