package dev.troupe.actors.identity.apikey;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code troupe.identity.api-keys}: how long verified keys are cached, how often use is written,
 * and the limits on what a key may carry.
 *
 * @param cacheTtl how long a node trusts a key it verified without asking its entity again
 * @param cacheSize most keys cached per node
 * @param revocationMargin how much longer than {@code cacheTtl} a revoked key stays in the
 *     cluster's revocation set (covers a lookup in flight when the key was revoked)
 * @param touchInterval use of a key is written to the journal at most once per this interval
 * @param maxNameLength longest key name
 * @param maxPatterns most patterns in each of routes, rooms and namespaces
 * @param maxPatternLength longest pattern
 * @param maxWildcards most wildcards ({@code *} or {@code **}) in one pattern
 * @param maxKeysPerProject most keys (not revoked) a project holds
 * @param maxExpiresIn longest {@code expires_in}
 * @param revokedRetention how long a revoked key stays listed before it is dropped from its
 *     project's state (its events stay in the journal and the audit log)
 * @param maxRevokedKept most revoked keys a project keeps listed; the oldest go first
 */
public record ApiKeySettings(
    Duration cacheTtl,
    long cacheSize,
    Duration revocationMargin,
    Duration touchInterval,
    int maxNameLength,
    int maxPatterns,
    int maxPatternLength,
    int maxWildcards,
    int maxKeysPerProject,
    Duration maxExpiresIn,
    Duration revokedRetention,
    int maxRevokedKept) {

  public static ApiKeySettings from(Config root) {
    Config c = root.getConfig("troupe.identity.api-keys");
    return new ApiKeySettings(
        c.getDuration("cache-ttl"),
        c.getLong("cache-size"),
        c.getDuration("revocation-margin"),
        c.getDuration("touch-interval"),
        c.getInt("max-name-length"),
        c.getInt("max-patterns"),
        c.getInt("max-pattern-length"),
        c.getInt("max-wildcards"),
        c.getInt("max-keys-per-project"),
        c.getDuration("max-expires-in"),
        c.getDuration("revoked-retention"),
        c.getInt("max-revoked-kept"));
  }
}
