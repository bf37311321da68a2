package dev.troupe.actors.cache.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.persistence.audit.AuditRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The totals a state carries forward equal those computed from its entries, after any event. */
class BucketStateTest {

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private static final AuditRecord AUDIT = new AuditRecord("ann", "acme", "r", "node", T0);

  @Test
  void bytesAndEarliestExpiryFollowEveryEventAsARescanWould() {
    Random random = new Random(42);
    BucketState state = BucketState.EMPTY;
    long revision = 0;
    for (int step = 0; step < 3000; step++) {
      String key = "k" + random.nextInt(40);
      int kind = random.nextInt(10);
      List<String> present = new ArrayList<>(state.entries().keySet());
      BucketEvent event;
      if (kind < 6) {
        List<String> dropped = new ArrayList<>();
        for (String other : present) {
          if (!other.equals(key) && random.nextInt(30) == 0) {
            dropped.add(other);
          }
        }
        Instant expiresAt = T0.plusSeconds(1 + random.nextInt(500));
        event =
            new BucketEvent.Stored(
                AUDIT, key, new byte[random.nextInt(50)], "text/plain", ++revision, T0, expiresAt,
                random.nextBoolean() ? List.of("t") : List.of(), dropped.subList(0, dropped.size() / 2),
                dropped.subList(dropped.size() / 2, dropped.size()));
      } else if (kind < 8) {
        event = new BucketEvent.Deleted(AUDIT, key);
      } else if (kind < 9) {
        event = new BucketEvent.Expired(AUDIT, present.isEmpty() ? List.of() : List.of(present.get(0)));
      } else {
        event = new BucketEvent.Invalidated(AUDIT, "t", present.subList(0, present.size() / 3));
      }
      state = state.apply(event);
      BucketState rescanned =
          new BucketState(new HashMap<>(state.entries()), state.revision(), state.evictions(), state.expirations());
      assertThat(state.bytes()).as("bytes after step %d", step).isEqualTo(rescanned.bytes());
      assertThat(state.earliestExpiry()).as("earliest after step %d", step).isEqualTo(rescanned.earliestExpiry());
      assertThat(state).isEqualTo(rescanned);
    }
    assertThat(state.apply(new BucketEvent.Flushed(AUDIT, state.entries().size())).bytes()).isZero();
  }
}
