package dev.troupe.actors.cache;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Node-wide cache settings from {@code troupe.cache} (see the actors module's reference.conf).
 *
 * @param buckets buckets per namespace (fixed for the life of the data)
 * @param maxValueBytes largest value
 * @param maxKeyBytes longest key, in UTF-8 bytes
 * @param maxTags most tags per entry
 * @param leaseTimeout how long a getOrCompute loader may hold its lease before a waiter takes over
 * @param sweepInterval how often the sweeper expires due entries
 * @param sweepWorkers how many sweeper workers (and schedule entities) share the buckets
 * @param defaults the settings of a namespace without its own block
 */
public record CacheSettings(
    int buckets,
    long maxValueBytes,
    int maxKeyBytes,
    int maxTags,
    Duration leaseTimeout,
    Duration sweepInterval,
    int sweepWorkers,
    NamespaceSettings defaults) {

  /** Most buckets a namespace may be spread over (every flush, invalidation and stats asks all). */
  public static final int MAX_BUCKETS = 1024;

  /** Most sweeper workers. */
  public static final int MAX_SWEEP_WORKERS = 64;

  public CacheSettings {
    if (buckets < 1 || buckets > MAX_BUCKETS) {
      throw new IllegalArgumentException("troupe.cache.buckets must be in 1.." + MAX_BUCKETS);
    }
    if (maxValueBytes < 1 || maxValueBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("troupe.cache.max-value-size must be in 1..2GiB");
    }
    if (maxKeyBytes < 1) {
      throw new IllegalArgumentException("troupe.cache.max-key-bytes must be >= 1");
    }
    if (maxTags < 0) {
      throw new IllegalArgumentException("troupe.cache.max-tags must be >= 0");
    }
    requirePositive(leaseTimeout, "lease-timeout");
    requirePositive(sweepInterval, "sweep-interval");
    if (sweepWorkers < 1 || sweepWorkers > MAX_SWEEP_WORKERS) {
      throw new IllegalArgumentException(
          "troupe.cache.sweep-workers must be in 1.." + MAX_SWEEP_WORKERS);
    }
    if (defaults == null) {
      throw new IllegalArgumentException("namespace defaults missing");
    }
  }

  /** Reads {@code troupe.cache} from a node's configuration. */
  public static CacheSettings from(Config config) {
    Config c = config.getConfig("troupe.cache");
    return new CacheSettings(
        c.getInt("buckets"),
        c.getBytes("max-value-size"),
        c.getInt("max-key-bytes"),
        c.getInt("max-tags"),
        c.getDuration("lease-timeout"),
        c.getDuration("sweep-interval"),
        c.getInt("sweep-workers"),
        NamespaceSettings.defaultsFrom(config));
  }

  /** The bucket a key of any namespace lives in: {@code floorMod(key.hashCode(), buckets)}. */
  public int bucketOf(String key) {
    return Math.floorMod(key.hashCode(), buckets);
  }

  private static void requirePositive(Duration d, String name) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("troupe.cache." + name + " must be positive");
    }
  }
}
