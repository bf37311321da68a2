package dev.troupe.samples.guestbook;

import dev.troupe.actors.testkit.GoldenSamples;
import dev.troupe.persistence.audit.AuditRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The sample's persisted events and snapshot still read back from their golden bytes. */
class GuestbookSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final AuditRecord AUDIT =
      new AuditRecord("bob", "acme", "req-7", "node-a", Instant.parse("2026-03-04T05:06:07Z"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void eventsAndSnapshotReadBackFromGoldenSamples() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("guestbook/Signed-v1", new Guestbook.Signed(AUDIT, "hello"));
    events.put("guestbook/Closed-v1", new Guestbook.Closed(AUDIT));
    GoldenSamples.assertCovers(Guestbook.Event.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put(
        "guestbook/State-v1",
        new Guestbook.State(List.of(new Guestbook.Entry("bob", "hello")), true));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }
}
