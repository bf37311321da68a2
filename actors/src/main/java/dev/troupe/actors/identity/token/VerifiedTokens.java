package dev.troupe.actors.identity.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Tokens this node has verified recently, so a client's repeated requests skip the signature
 * check. Bounded ({@code troupe.identity.tokens.cache-size}); an entry lives until its token
 * expires. Keyed by the SHA-256 of the token, so the cache never holds a usable token.
 *
 * <p>A cache hit only saves the signature and claim checks: callers still check revocation.
 */
public final class VerifiedTokens {

  private final Cache<ByteBuffer, Verified> cache;
  private final Clock clock;

  public VerifiedTokens(TokenSettings settings) {
    this(settings.cacheSize(), Ticker.systemTicker(), Clock.systemUTC());
  }

  /** For tests: a chosen size, ticker (entry lifetimes) and clock (the time entries expire at). */
  VerifiedTokens(long maximumSize, Ticker ticker, Clock clock) {
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfter(
                new Expiry<ByteBuffer, Verified>() {
                  @Override
                  public long expireAfterCreate(ByteBuffer key, Verified value, long currentTime) {
                    return untilExpiry(value);
                  }

                  @Override
                  public long expireAfterUpdate(
                      ByteBuffer key, Verified value, long currentTime, long currentDuration) {
                    return untilExpiry(value);
                  }

                  @Override
                  public long expireAfterRead(
                      ByteBuffer key, Verified value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .build();
  }

  /** The verification of the token, if it is cached and the token has not expired at {@code now}. */
  public Optional<Verified> cached(String token, Instant now) {
    if (token == null || token.length() > TokenVerifier.MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    ByteBuffer key = key(token);
    Verified verified = cache.getIfPresent(key);
    if (verified == null) {
      return Optional.empty();
    }
    if (!verified.expiresAt().isAfter(now)) {
      cache.invalidate(key);
      return Optional.empty();
    }
    return Optional.of(verified);
  }

  /** Remembers a verified token until it expires. */
  public void put(String token, Verified verified) {
    if (token == null || token.length() > TokenVerifier.MAX_TOKEN_LENGTH) {
      return;
    }
    cache.put(key(token), verified);
  }

  /** Forgets every entry. */
  public void clear() {
    cache.invalidateAll();
  }

  /** Roughly how many tokens are cached (after pending evictions are applied). */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  private long untilExpiry(Verified value) {
    Duration left = Duration.between(clock.instant(), value.expiresAt());
    return left.isNegative() ? 0 : saturatedNanos(left);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** One digest per thread: looking the algorithm up costs more than hashing a token. */
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-256 is missing", e);
            }
          });

  private static ByteBuffer key(String token) {
    // digest() resets the instance, so the next call on this thread starts clean.
    return ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
