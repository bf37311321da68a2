package dev.troupe.http.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.apikey.ApiKeys;
import dev.troupe.http.security.RateLimitSettings.Limit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * This node's token buckets, one per (group, kind, id): kind {@code ip}, {@code user} or {@code
 * key}. Each grants this node's share of the configured limit ({@link ClusterShare}). The buckets
 * live in a bounded Caffeine cache that forgets idle ones, so a flood of addresses cannot grow
 * memory without bound (an evicted bucket comes back full: the bound trades a little precision
 * under attack for memory). Past {@code max-buckets} Caffeine evicts by recency and frequency
 * (W-TinyLFU), not strictly least recently used: a flood of one-off keys mostly evicts its own
 * buckets and leaves busy ones (a busy client's bucket, which eviction would refill) in place.
 */
final class RateLimits {

  /** What is limited. */
  enum Kind {
    IP("ip"),
    USER("user"),
    KEY("key");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** The principal-side bucket a request draws from: its API key, or else its user. */
  record Subject(Kind kind, String id) {

    /** Session ids of API-key principals start with this (the key id follows). */
    static final String API_KEY_SESSION = ApiKeys.sessionIdOf("");

    /**
     * Decided by the principal, not by how it authenticated: an API key that redeemed a WebSocket
     * ticket (method {@code TICKET}) is still limited as the key.
     */
    static Subject of(Principal principal) {
      if (principal.sessionId().startsWith(API_KEY_SESSION)) {
        return new Subject(Kind.KEY, principal.sessionId());
      }
      return new Subject(Kind.USER, principal.org() + "/" + principal.username());
    }
  }

  private final Cache<String, TokenBucket> buckets;
  private final DoubleSupplier share;
  private final LongSupplier clock;

  RateLimits(RateLimitSettings settings, DoubleSupplier share, LongSupplier nanoClock) {
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(settings.maxBuckets())
            .expireAfterAccess(settings.idleExpiry())
            .build();
    this.share = share;
    this.clock = nanoClock;
  }

  /**
   * Takes a token from the bucket of (group, kind, id): 0 when granted, else nanoseconds until the
   * next token.
   */
  long acquire(String group, Kind kind, String id, Limit limit) {
    double fraction = share.getAsDouble();
    double rate = limit.rate() * fraction;
    double burst = Math.max(1, limit.burst() * fraction);
    long now = clock.getAsLong();
    TokenBucket bucket =
        buckets.get(group + '|' + kind.label + '|' + id, k -> new TokenBucket(burst, now));
    return bucket.tryAcquire(rate, burst, now);
  }

  /** Whole seconds to tell a client to wait ({@code Retry-After}), at least 1. */
  static long retryAfterSeconds(long nanos) {
    return Math.max(1, (long) Math.ceil(nanos / 1e9));
  }

  long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
