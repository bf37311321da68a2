package dev.troupe.actors.identity.revocation;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code troupe.identity.revocation.*}.
 *
 * @param writeTimeout how long a revocation waits for all nodes (then for a majority)
 * @param pruneInterval how often entries past their end are removed
 * @param maxEntries most revocations kept at once; more are refused (each lives only as long as
 *     the tokens of its session could, so this is reached only under abuse)
 */
public record RevocationSettings(Duration writeTimeout, Duration pruneInterval, int maxEntries) {

  public static RevocationSettings from(Config config) {
    Config c = config.getConfig("troupe.identity.revocation");
    return new RevocationSettings(
        c.getDuration("write-timeout"), c.getDuration("prune-interval"), c.getInt("max-entries"));
  }
}
