package dev.troupe.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.identity.Principal;
import dev.troupe.http.security.RateLimitSettings.Limit;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  private static final Limit LIMIT = new Limit(0.001, 3);

  /** A frozen clock: buckets never refill, so a drained one stays drained unless evicted. */
  private static RateLimits limits(long maxBuckets) {
    return new RateLimits(
        new RateLimitSettings(Map.of(), List.of(), maxBuckets, Duration.ofMinutes(10)),
        () -> 1.0,
        () -> 0L);
  }

  @Test
  void aFloodOfKeysStaysWithinMaxBuckets() {
    RateLimits limits = limits(100);
    for (int i = 0; i < 20_000; i++) {
      assertThat(limits.acquire("default", RateLimits.Kind.IP, "198.51." + i, LIMIT)).isZero();
    }
    assertThat(limits.size()).isBetween(1L, 100L);
  }

  @Test
  void aFloodOfOneOffKeysDoesNotEvictABusyBucket() {
    RateLimits limits = limits(100);
    // fill half the cache first: Caffeine starts counting frequencies from there
    for (int i = 0; i < 60; i++) {
      limits.acquire("default", RateLimits.Kind.IP, "warm-" + i, LIMIT);
    }
    limits.size();
    for (int i = 0; i < 3; i++) {
      assertThat(limits.acquire("default", RateLimits.Kind.IP, "busy", LIMIT)).isZero();
    }
    assertThat(limits.acquire("default", RateLimits.Kind.IP, "busy", LIMIT)).isPositive();
    for (int i = 0; i < 20_000; i++) {
      limits.acquire("default", RateLimits.Kind.IP, "flood-" + i, LIMIT);
      if (i % 20 == 0) {
        // the busy client keeps going while the flood runs, and stays limited
        assertThat(limits.acquire("default", RateLimits.Kind.IP, "busy", LIMIT))
            .as("after %d flood keys", i)
            .isPositive();
      }
    }
    assertThat(limits.size()).isLessThanOrEqualTo(100);
    // an evicted bucket would have come back full
    assertThat(limits.acquire("default", RateLimits.Kind.IP, "busy", LIMIT)).isPositive();
  }

  @Test
  void kindsAndGroupsHaveTheirOwnBuckets() {
    RateLimits limits = limits(100);
    for (int i = 0; i < 3; i++) {
      limits.acquire("default", RateLimits.Kind.USER, "org/ann", LIMIT);
    }
    assertThat(limits.acquire("default", RateLimits.Kind.USER, "org/ann", LIMIT)).isPositive();
    assertThat(limits.acquire("auth", RateLimits.Kind.USER, "org/ann", LIMIT)).isZero();
    assertThat(limits.acquire("default", RateLimits.Kind.KEY, "org/ann", LIMIT)).isZero();
  }

  @Test
  void anApiKeyIsLimitedAsTheKeyHoweverItAuthenticated() {
    // the principal of an API key, also when it redeemed a WebSocket ticket
    Principal key = new Principal("key-k1", "acme", "apikey:k1", Set.of("project-user:p"));
    assertThat(RateLimits.Subject.of(key))
        .isEqualTo(new RateLimits.Subject(RateLimits.Kind.KEY, "apikey:k1"));

    Principal user = new Principal("ann", "acme", "0b8f6c1e-session", Set.of());
    assertThat(RateLimits.Subject.of(user))
        .isEqualTo(new RateLimits.Subject(RateLimits.Kind.USER, "acme/ann"));
    // a user's bucket is per org
    assertThat(RateLimits.Subject.of(new Principal("ann", "other", "s2", Set.of())).id())
        .isEqualTo("other/ann");
  }
}
