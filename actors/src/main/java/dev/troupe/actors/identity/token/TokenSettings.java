package dev.troupe.actors.identity.token;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Set;

/**
 * The access-token settings, {@code troupe.identity.tokens.*}: who issues tokens and for whom, the
 * signing algorithm of new keys, how long a token lives, how much clock skew is tolerated, and
 * how often keys rotate and are re-read.
 *
 * @param issuer the {@code iss} claim written and required
 * @param audience the {@code aud} value written and required
 * @param algorithm the algorithm of newly generated keys: RS256, ES256 or EdDSA
 * @param accessTokenTtl the longest an access token lives
 * @param clockSkew the tolerance applied to {@code exp}, {@code nbf} and {@code iat}
 * @param rotateEvery the age after which the current signing key is replaced
 * @param keyRefresh how often a node re-reads the keys and checks whether rotation is due
 * @param keyRefreshMinInterval the least time between two refreshes caused by unknown key ids
 * @param cacheSize the most verified tokens a node remembers
 */
public record TokenSettings(
    String issuer,
    String audience,
    String algorithm,
    Duration accessTokenTtl,
    Duration clockSkew,
    Duration rotateEvery,
    Duration keyRefresh,
    Duration keyRefreshMinInterval,
    long cacheSize) {

  /** The algorithms keys can be generated for. */
  public static final Set<String> ALGORITHMS = Set.of("RS256", "ES256", "EdDSA");

  public TokenSettings {
    if (issuer == null || issuer.isBlank()) {
      throw new IllegalArgumentException("troupe.identity.tokens.issuer must not be empty");
    }
    if (audience == null || audience.isBlank()) {
      throw new IllegalArgumentException("troupe.identity.tokens.audience must not be empty");
    }
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException(
          "troupe.identity.tokens.algorithm must be one of " + ALGORITHMS + ", not " + algorithm);
    }
    requirePositive(accessTokenTtl, "access-token-ttl");
    requirePositive(rotateEvery, "rotate-every");
    requirePositive(keyRefresh, "key-refresh");
    if (clockSkew.isNegative() || keyRefreshMinInterval.isNegative()) {
      throw new IllegalArgumentException("clock-skew and key-refresh-min-interval must be >= 0");
    }
    if (cacheSize < 0) {
      throw new IllegalArgumentException("troupe.identity.tokens.cache-size must be >= 0");
    }
  }

  /** Reads {@code troupe.identity.tokens} from a node's configuration. */
  public static TokenSettings from(Config config) {
    Config c = config.getConfig("troupe.identity.tokens");
    return new TokenSettings(
        c.getString("issuer"),
        c.getString("audience"),
        c.getString("algorithm"),
        c.getDuration("access-token-ttl"),
        c.getDuration("clock-skew"),
        c.getDuration("rotate-every"),
        c.getDuration("key-refresh"),
        c.getDuration("key-refresh-min-interval"),
        c.getLong("cache-size"));
  }

  /**
   * How long a retired key is kept for verification: the longest a token it signed can still be
   * accepted. Other nodes learn of a rotation only at their next key refresh and sign with the old
   * key until then, and clocks may differ both ways: lifetime + refresh interval + twice the skew.
   */
  public Duration retainRetired() {
    return accessTokenTtl.plus(keyRefresh).plus(clockSkew.multipliedBy(2));
  }

  private static void requirePositive(Duration d, String name) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("troupe.identity.tokens." + name + " must be positive");
    }
  }
}
