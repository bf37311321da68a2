package dev.troupe.actors.rooms;

import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;

/**
 * One persisted message of a room.
 *
 * @param room the room's name (without the org)
 * @param offset its dense position in the room: 1, 2, 3, ...
 * @param sender the username that posted it
 * @param timestamp when the room accepted it
 * @param body the posted JSON object, as text exactly as kept
 */
public record RoomMessage(String room, long offset, String sender, Instant timestamp, String body)
    implements TroupeSerializable {}
