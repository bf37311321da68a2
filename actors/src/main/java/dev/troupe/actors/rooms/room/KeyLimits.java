package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomsSettings;
import java.time.Duration;

/**
 * How many idempotency keys a room remembers and for how long ({@code troupe.rooms.idempotency}).
 * Part of the room's fold: a keyed post forgets the keys past their time, then the oldest beyond
 * the count.
 */
public record KeyLimits(int keys, Duration ttl) {

  public KeyLimits {
    if (keys < 0 || ttl.isNegative()) {
      throw new IllegalArgumentException("idempotency keys and ttl must not be negative");
    }
  }

  public static KeyLimits from(RoomsSettings settings) {
    return new KeyLimits(settings.idempotencyKeys(), settings.idempotencyTtl());
  }
}
