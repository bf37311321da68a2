package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomsSettings;
import java.time.Clock;

/**
 * What every room entity of a node is created with.
 *
 * @param settings {@code troupe.rooms}
 * @param clock stamps posts (and expires idempotency keys)
 */
public record RoomEnv(RoomsSettings settings, Clock clock) {

  public KeyLimits keyLimits() {
    return KeyLimits.from(settings);
  }
}
