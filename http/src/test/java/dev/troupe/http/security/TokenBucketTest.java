package dev.troupe.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void grantsTheBurstThenRefusesWithTheTimeToTheNextToken() {
    TokenBucket bucket = new TokenBucket(3, 0);
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.tryAcquire(2, 3, 0)).isZero();
    }
    long wait = bucket.tryAcquire(2, 3, 0);
    assertThat(wait).isEqualTo(SECOND / 2);
    assertThat(RateLimits.retryAfterSeconds(wait)).isEqualTo(1);
  }

  @Test
  void refillsAtTheRateUpToTheBurst() {
    TokenBucket bucket = new TokenBucket(2, 0);
    bucket.tryAcquire(1, 2, 0);
    bucket.tryAcquire(1, 2, 0);
    assertThat(bucket.tryAcquire(1, 2, SECOND / 2)).isEqualTo(SECOND / 2);
    assertThat(bucket.tryAcquire(1, 2, SECOND)).isZero();
    // a long idle time refills only up to the burst
    long later = 100 * SECOND;
    assertThat(bucket.tryAcquire(1, 2, later)).isZero();
    assertThat(bucket.tryAcquire(1, 2, later)).isZero();
    assertThat(bucket.tryAcquire(1, 2, later)).isPositive();
  }

  @Test
  void aSmallerBurstCapsTheTokensHeld() {
    TokenBucket bucket = new TokenBucket(10, 0);
    assertThat(bucket.tryAcquire(1, 2, 0)).isZero();
    assertThat(bucket.tryAcquire(1, 2, 0)).isZero();
    assertThat(bucket.tryAcquire(1, 2, 0)).isPositive();
  }

  @Test
  void retryAfterRoundsUp() {
    assertThat(RateLimits.retryAfterSeconds(1)).isEqualTo(1);
    assertThat(RateLimits.retryAfterSeconds(SECOND)).isEqualTo(1);
    assertThat(RateLimits.retryAfterSeconds(SECOND + 1)).isEqualTo(2);
    assertThat(RateLimits.retryAfterSeconds(5 * SECOND)).isEqualTo(5);
  }

  @Test
  void theClusterShareKeepsTheTotalWithinOneAndAHalfTimesTheLimit() {
    assertThat(ClusterShare.fraction(0)).isEqualTo(1.0);
    assertThat(ClusterShare.fraction(1)).isEqualTo(1.0);
    assertThat(ClusterShare.fraction(2)).isEqualTo(0.75);
    assertThat(ClusterShare.fraction(3)).isEqualTo(0.5);
    for (int n = 1; n <= 50; n++) {
      double total = n * ClusterShare.fraction(n);
      assertThat(total).as("n=%d", n).isLessThanOrEqualTo(1.5 + 1e-9);
      // a client pinned to one node gets 1.5/n of the limit, or the whole limit
      assertThat(ClusterShare.fraction(n)).isEqualTo(Math.min(1.0, 1.5 / n));
    }
  }

  @Test
  void rateLimitsGrantTheShareOfRateAndBurstPerKey() {
    RateLimitSettings settings =
        RateLimitSettings.from(
            com.typesafe.config.ConfigFactory.parseString(
                "paths {}\n"
                    + "max-buckets = 100\n"
                    + "idle-expiry = 1m\n"
                    + "default { per-ip { rate = 1, burst = 10 } }"));
    long[] now = {0};
    double[] share = {0.5};
    RateLimits limits = new RateLimits(settings, () -> share[0], () -> now[0]);
    RateLimitSettings.Limit limit = settings.groupOf("/x").perIp().orElseThrow();
    int granted = 0;
    while (limits.acquire("default", RateLimits.Kind.IP, "a", limit) == 0) {
      granted++;
    }
    assertThat(granted).isEqualTo(5); // half the burst
    // another key has its own bucket
    assertThat(limits.acquire("default", RateLimits.Kind.IP, "b", limit)).isZero();
    // half the rate: one token every 2 s
    assertThat(limits.acquire("default", RateLimits.Kind.IP, "a", limit)).isEqualTo(2 * SECOND);
    now[0] = 2 * SECOND;
    assertThat(limits.acquire("default", RateLimits.Kind.IP, "a", limit)).isZero();
  }
}
