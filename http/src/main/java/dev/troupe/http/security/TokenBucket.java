package dev.troupe.http.security;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code rate} per second; a request
 * takes one. Rate and burst are passed on every call (they change with the cluster's size, see
 * {@link ClusterShare}); a smaller burst caps the tokens held at once. Thread-safe (a short lock
 * per bucket).
 */
final class TokenBucket {

  private double tokens;
  private long last;

  /** A full bucket at {@code nanos}. */
  TokenBucket(double burst, long nanos) {
    this.tokens = burst;
    this.last = nanos;
  }

  /**
   * Takes a token if there is one: answers 0. Otherwise answers how many nanoseconds until there is
   * one (at least 1).
   */
  synchronized long tryAcquire(double rate, double burst, long nanos) {
    long elapsed = Math.max(0, nanos - last);
    last = Math.max(last, nanos);
    tokens = Math.min(burst, tokens + elapsed * rate / 1e9);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    if (rate <= 0) {
      return Long.MAX_VALUE;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * 1e9 / rate));
  }
}
