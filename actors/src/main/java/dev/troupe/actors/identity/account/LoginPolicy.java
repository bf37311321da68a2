package dev.troupe.actors.identity.account;

import com.typesafe.config.Config;
import java.time.Duration;
import java.time.Instant;

/**
 * How failed logins slow an account down, from {@code troupe.identity.login}: the first {@code
 * freeAttempts} failures cost nothing; each further one blocks logins for {@code backoffBase *
 * 2^(failures - freeAttempts - 1)}, at most {@code backoffMax}; at {@code maxFailures} the account
 * is locked for {@code lockDuration}. A failure more than {@code failureWindow} after the previous
 * one starts counting again from zero. Pure: times are given.
 */
public record LoginPolicy(
    int freeAttempts,
    Duration backoffBase,
    Duration backoffMax,
    int maxFailures,
    Duration lockDuration,
    Duration failureWindow) {

  public LoginPolicy {
    if (freeAttempts < 0 || maxFailures < 1) {
      throw new IllegalArgumentException("free-attempts must be >= 0 and max-failures >= 1");
    }
    if (backoffBase.isNegative()
        || backoffMax.isNegative()
        || lockDuration.isNegative()
        || failureWindow.isNegative()) {
      throw new IllegalArgumentException("login durations must not be negative");
    }
  }

  public static LoginPolicy from(Config config) {
    Config login = config.getConfig("troupe.identity.login");
    return new LoginPolicy(
        login.getInt("free-attempts"),
        login.getDuration("backoff-base"),
        login.getDuration("backoff-max"),
        login.getInt("max-failures"),
        login.getDuration("lock-duration"),
        login.getDuration("failure-window"));
  }

  /**
   * The failures that still count at {@code now}: none when the last one is at least {@code
   * failureWindow} old.
   */
  public int failuresAt(int failures, Instant lastFailureAt, Instant now) {
    return windowExpired(lastFailureAt, now) ? 0 : failures;
  }

  /**
   * Whether failures counted up to {@code lastFailureAt} no longer count at {@code now}: there was
   * none, or it is at least {@code failureWindow} old.
   */
  public boolean windowExpired(Instant lastFailureAt, Instant now) {
    return lastFailureAt == null || !now.isBefore(lastFailureAt.plus(failureWindow));
  }

  /** The failure count after one more failure at {@code now}. */
  public int failuresAfterFailure(int failures, Instant lastFailureAt, Instant now) {
    int counted = failuresAt(failures, lastFailureAt, now);
    return counted == Integer.MAX_VALUE ? counted : counted + 1;
  }

  /** How long logins are blocked after the given number of failures (zero if they are not). */
  public Duration delayAfter(int failures) {
    if (failures >= maxFailures) {
      return lockDuration;
    }
    if (failures <= freeAttempts) {
      return Duration.ZERO;
    }
    int doublings = failures - freeAttempts - 1;
    if (doublings >= 62) {
      return backoffMax;
    }
    long factor = 1L << doublings;
    Duration backoff;
    try {
      backoff = backoffBase.multipliedBy(factor);
    } catch (ArithmeticException overflow) {
      return backoffMax;
    }
    return backoff.compareTo(backoffMax) > 0 ? backoffMax : backoff;
  }

  /** Until when logins are blocked after the given number of failures at {@code now}; null if not. */
  public Instant lockedUntil(int failures, Instant now) {
    Duration delay = delayAfter(failures);
    return delay.isZero() ? null : now.plus(delay);
  }
}
