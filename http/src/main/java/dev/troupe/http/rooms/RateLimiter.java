package dev.troupe.http.rooms;

/**
 * A token bucket for one connection's posts and signals ({@code troupe.rooms.client}): {@code
 * burst} tokens at most, refilled at {@code perSecond}. Used from the connection's one inbound
 * stage only, so it needs no locking.
 */
final class RateLimiter {

  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(double perSecond, int burst, long nowNanos) {
    this.perNano = perSecond / 1_000_000_000d;
    this.burst = Math.max(1, burst);
    this.tokens = this.burst;
    this.last = nowNanos;
  }

  /** Takes a token if one is left; false means the frame is refused ({@code rate_limited}). */
  boolean tryAcquire(long nowNanos) {
    long elapsed = nowNanos - last;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perNano);
      last = nowNanos;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
