package dev.troupe.actors.testkit;

import dev.troupe.persistence.audit.AuditRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted ledger event and its snapshot still read back from their golden bytes. */
class LedgerSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final AuditRecord AUDIT =
      new AuditRecord("alice", "acme", "req-1", "node-a", Instant.parse("2026-01-02T03:04:05.678Z"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void eventsAndSnapshotsReadBackFromGoldenSamples() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("ledger/Deposited-v1", new Ledger.Deposited(AUDIT, 42));
    events.put("ledger/Withdrawn-v1", new Ledger.Withdrawn(AUDIT, 7));
    events.put("ledger/PinSet-v1", new Ledger.PinSet(AUDIT, "$argon2id$hash"));
    GoldenSamples.assertCovers(Ledger.Event.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put("ledger/State-v1", new Ledger.State(35, 2, "$argon2id$hash"));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }
}
