package dev.troupe.actors.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.troupe.actors.identity.account.LoginPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * Failed logins for names that have no account, counted in memory on this node with the same
 * policy as real accounts, so that back-off answers (429) do not tell which users exist. Nothing
 * is persisted; the map is bounded.
 */
final class UnknownUserThrottle {

  private record Failures(int count, Instant last, Instant lockedUntil) {}

  private final LoginPolicy policy;
  private final Cache<String, Failures> failures;

  UnknownUserThrottle(LoginPolicy policy, long maxEntries) {
    this.policy = policy;
    this.failures = Caffeine.newBuilder().maximumSize(maxEntries).build();
  }

  /** How long a new attempt for this name must wait (zero: go ahead). */
  Duration waitFor(String key, Instant now) {
    Failures current = failures.getIfPresent(key);
    if (current == null || current.lockedUntil() == null || !current.lockedUntil().isAfter(now)) {
      return Duration.ZERO;
    }
    return Duration.between(now, current.lockedUntil());
  }

  void failed(String key, Instant now) {
    failures
        .asMap()
        .compute(
            key,
            (k, current) -> {
              int count =
                  current == null || policy.windowExpired(current.last(), now) ? 1 : current.count() + 1;
              return new Failures(count, now, policy.lockedUntil(count, now));
            });
  }
}
