package dev.troupe.http.identity.browser;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.Cancellable;

/**
 * Runs a task once at an instant however far away it is. Pekko's scheduler refuses delays beyond
 * about 248 days ({@code Int.MaxValue} ticks), so the timer waits at most {@link #MAX_STEP} at a
 * time and re-arms until the instant has passed; a step that fires early re-arms too. One timer
 * per connection: cancel it when the connection ends.
 */
final class ExpiryTimer {

  /** The longest single delay handed to the scheduler. */
  static final Duration MAX_STEP = Duration.ofDays(1);

  private final BiFunction<Duration, Runnable, Cancellable> scheduler;
  private final Supplier<Instant> clock;
  private final Instant at;
  private final Runnable task;
  private final AtomicBoolean over = new AtomicBoolean();
  private volatile Cancellable step;

  private ExpiryTimer(
      BiFunction<Duration, Runnable, Cancellable> scheduler, Supplier<Instant> clock, Instant at, Runnable task) {
    this.scheduler = scheduler;
    this.clock = clock;
    this.at = at;
    this.task = task;
  }

  /**
   * Starts a timer that runs {@code task} once {@code clock} reaches {@code at} (at once, on the
   * scheduler, when it already has).
   */
  static ExpiryTimer start(
      BiFunction<Duration, Runnable, Cancellable> scheduler, Supplier<Instant> clock, Instant at, Runnable task) {
    ExpiryTimer timer = new ExpiryTimer(scheduler, clock, at, task);
    timer.arm();
    return timer;
  }

  /** The delay of the next step: what is left, at least zero, at most {@link #MAX_STEP}. */
  static Duration step(Duration left) {
    if (left.isNegative()) {
      return Duration.ZERO;
    }
    return left.compareTo(MAX_STEP) > 0 ? MAX_STEP : left;
  }

  /** Stops the timer; the task will not run (unless it is running already). */
  void cancel() {
    if (over.compareAndSet(false, true)) {
      Cancellable current = step;
      if (current != null) {
        current.cancel();
      }
    }
  }

  private void arm() {
    Cancellable next = scheduler.apply(step(Duration.between(clock.get(), at)), this::fired);
    step = next;
    if (over.get()) {
      next.cancel();
    }
  }

  private void fired() {
    if (over.get()) {
      return;
    }
    if (clock.get().isBefore(at)) {
      arm();
      return;
    }
    if (over.compareAndSet(false, true)) {
      task.run();
    }
  }
}
