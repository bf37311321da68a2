package dev.troupe.http.identity.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.Cancellable;
import org.junit.jupiter.api.Test;

/** {@link ExpiryTimer}: steps of at most a day (Pekko refuses ~248 days), re-armed until due. */
class ExpiryTimerTest {

  /** A scheduler that records what it is asked and runs a step only when told. */
  static final class FakeScheduler {
    final List<Duration> delays = new ArrayList<>();
    final List<Runnable> tasks = new ArrayList<>();
    final List<Boolean> cancelled = new ArrayList<>();

    Cancellable schedule(Duration delay, Runnable task) {
      int index = delays.size();
      delays.add(delay);
      tasks.add(task);
      cancelled.add(false);
      return new Cancellable() {
        @Override
        public boolean cancel() {
          cancelled.set(index, true);
          return true;
        }

        @Override
        public boolean isCancelled() {
          return cancelled.get(index);
        }
      };
    }

    void fireLast() {
      tasks.get(tasks.size() - 1).run();
    }
  }

  private final FakeScheduler scheduler = new FakeScheduler();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final AtomicInteger ran = new AtomicInteger();

  private ExpiryTimer start(Instant at) {
    return ExpiryTimer.start(scheduler::schedule, now::get, at, ran::incrementAndGet);
  }

  @Test
  void aFarExpiryIsWaitedForInStepsOfADayThenRunsOnce() {
    Instant at = now.get().plus(Duration.ofDays(400)); // an API key created with expires_in = 400d
    start(at);
    assertThat(scheduler.delays).containsExactly(Duration.ofDays(1));
    for (int day = 1; day < 400; day++) {
      now.set(now.get().plus(Duration.ofDays(1)));
      scheduler.fireLast();
      assertThat(ran).hasValue(0);
    }
    assertThat(scheduler.delays).hasSize(400).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofDays(1)));
    now.set(at);
    scheduler.fireLast();
    assertThat(ran).hasValue(1);
    assertThat(scheduler.delays).hasSize(400);
  }

  @Test
  void aStepThatFiresEarlyIsReArmedForWhatIsLeft() {
    Instant at = now.get().plusSeconds(10);
    start(at);
    assertThat(scheduler.delays).containsExactly(Duration.ofSeconds(10));
    now.set(at.minusMillis(30));
    scheduler.fireLast();
    assertThat(ran).hasValue(0);
    assertThat(scheduler.delays).containsExactly(Duration.ofSeconds(10), Duration.ofMillis(30));
    now.set(at);
    scheduler.fireLast();
    scheduler.fireLast(); // a duplicate firing changes nothing
    assertThat(ran).hasValue(1);
  }

  @Test
  void aPastExpiryRunsOnTheNextTickAndACancelledTimerNever() {
    start(now.get().minusSeconds(5));
    assertThat(scheduler.delays).containsExactly(Duration.ZERO);
    scheduler.fireLast();
    assertThat(ran).hasValue(1);

    ExpiryTimer cancelled = start(now.get().plusSeconds(5));
    cancelled.cancel();
    assertThat(scheduler.cancelled.get(1)).isTrue();
    now.set(now.get().plusSeconds(6));
    scheduler.fireLast();
    assertThat(ran).hasValue(1);
  }

  @Test
  void stepsAreClampedToADay() {
    assertThat(ExpiryTimer.step(Duration.ofDays(3650))).isEqualTo(Duration.ofDays(1));
    assertThat(ExpiryTimer.step(Duration.ofSeconds(-1))).isEqualTo(Duration.ZERO);
    assertThat(ExpiryTimer.step(Duration.ofHours(5))).isEqualTo(Duration.ofHours(5));
  }
}
