package dev.troupe.actors.identity.password;

import com.typesafe.config.Config;

/**
 * {@code troupe.identity.passwords.*}: the Argon2id cost and the length policy.
 *
 * @param memoryKib memory per hash, in KiB
 * @param iterations passes over the memory
 * @param parallelism lanes
 * @param minLength shortest password accepted when one is set
 * @param maxLength longest password accepted at all (bounds the hashing work)
 * @param maxInFlight most hashes queued or running at once on a node; more are refused (busy)
 */
public record PasswordSettings(
    int memoryKib, int iterations, int parallelism, int minLength, int maxLength, int maxInFlight) {

  public PasswordSettings {
    if (memoryKib < 8 * parallelism || iterations < 1 || parallelism < 1) {
      throw new IllegalArgumentException("invalid troupe.identity.passwords Argon2 parameters");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("troupe.identity.passwords.max-in-flight must be at least 1");
    }
    if (minLength < 1 || maxLength < minLength) {
      throw new IllegalArgumentException("invalid troupe.identity.passwords length limits");
    }
  }

  public static PasswordSettings from(Config config) {
    Config c = config.getConfig("troupe.identity.passwords");
    return new PasswordSettings(
        c.getInt("memory-kib"),
        c.getInt("iterations"),
        c.getInt("parallelism"),
        c.getInt("min-length"),
        c.getInt("max-length"),
        c.getInt("max-in-flight"));
  }
}
