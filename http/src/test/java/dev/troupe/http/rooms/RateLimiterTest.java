package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void allowsTheBurstThenTheRate() {
    RateLimiter limiter = new RateLimiter(2, 3, 0);
    assertThat(limiter.tryAcquire(0)).isTrue();
    assertThat(limiter.tryAcquire(0)).isTrue();
    assertThat(limiter.tryAcquire(0)).isTrue();
    assertThat(limiter.tryAcquire(0)).isFalse();
    assertThat(limiter.tryAcquire(SECOND / 4)).isFalse();
    assertThat(limiter.tryAcquire(SECOND / 2)).isTrue();
    assertThat(limiter.tryAcquire(SECOND / 2)).isFalse();
  }

  @Test
  void refillsNoMoreThanTheBurst() {
    RateLimiter limiter = new RateLimiter(100, 2, 0);
    assertThat(limiter.tryAcquire(60 * SECOND)).isTrue();
    assertThat(limiter.tryAcquire(60 * SECOND)).isTrue();
    assertThat(limiter.tryAcquire(60 * SECOND)).isFalse();
  }
}
