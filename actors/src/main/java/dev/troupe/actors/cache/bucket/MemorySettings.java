package dev.troupe.actors.cache.bucket;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a starting memory bucket reads its replica, from {@code troupe.cache.memory} in the actor
 * system's config ({@link MemoryBucket} reads it when a bucket starts).
 *
 * @param readTimeout how long the start-up read waits for a majority before reading the local
 *     replica ({@code read-timeout})
 * @param stashSize commands kept while loading; beyond that they are dropped and their asks time
 *     out ({@code stash-size})
 */
record MemorySettings(Duration readTimeout, int stashSize) {

  /** The config section these settings are read from. */
  static final String PATH = "troupe.cache.memory";

  MemorySettings {
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException(PATH + ".read-timeout must be positive");
    }
    if (stashSize < 1) {
      throw new IllegalArgumentException(PATH + ".stash-size must be >= 1");
    }
  }

  /** The settings in {@code troupe.cache.memory} of a full config. */
  static MemorySettings fromConfig(Config config) {
    Config memory = config.getConfig(PATH);
    return new MemorySettings(memory.getDuration("read-timeout"), memory.getInt("stash-size"));
  }
}
