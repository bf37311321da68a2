package dev.troupe.actors.entity;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Operational settings of one entity type, from {@code troupe.entities.defaults} overlaid with
 * {@code troupe.entities.types.<type>}.
 *
 * @param snapshotEvery take a snapshot after this many events, so recovery replays at most that many
 * @param keepSnapshots how many snapshots to keep
 * @param deleteEventsOnSnapshot whether events older than the kept snapshots are deleted (their
 *     audit history is then gone: audit answers 410 for them)
 * @param tagCount how many tags spread the type's events for projections; never change it
 *     without a migration
 * @param backoffMin first restart delay after a journal failure
 * @param backoffMax longest restart delay
 * @param backoffRandomFactor jitter added to restart delays
 */
public record EntitySettings(
    int snapshotEvery,
    int keepSnapshots,
    boolean deleteEventsOnSnapshot,
    int tagCount,
    Duration backoffMin,
    Duration backoffMax,
    double backoffRandomFactor) {

  public EntitySettings {
    if (snapshotEvery < 1 || keepSnapshots < 1 || tagCount < 1) {
      throw new IllegalArgumentException("snapshot-every, keep-snapshots and tag-count must be >= 1");
    }
  }

  public static EntitySettings forType(Config config, String entityType) {
    Config entities = config.getConfig("troupe.entities");
    Config merged = entities.getConfig("defaults");
    if (entities.hasPath("types." + entityType)) {
      merged = entities.getConfig("types." + entityType).withFallback(merged);
    }
    return new EntitySettings(
        merged.getInt("snapshot-every"),
        merged.getInt("keep-snapshots"),
        merged.getBoolean("delete-events-on-snapshot"),
        merged.getInt("tag-count"),
        merged.getDuration("backoff.min"),
        merged.getDuration("backoff.max"),
        merged.getDouble("backoff.random-factor"));
  }
}
