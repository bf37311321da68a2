package dev.troupe.actors.rooms;

import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;

/**
 * What a post returns: the message's place in the room. A retry with the same idempotency key
 * returns the first post's result with {@code replayed} set.
 */
public record PostResult(String room, long offset, String sender, Instant timestamp, boolean replayed)
    implements TroupeSerializable {}
