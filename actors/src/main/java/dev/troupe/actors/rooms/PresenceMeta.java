package dev.troupe.actors.rooms;

import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;

/**
 * One live connection of a user in a room.
 *
 * @param connection the connection's id (unique in the cluster)
 * @param node the cluster address of the node holding it (how a crashed node's entries are found)
 * @param kind {@code ws}, {@code sse} or {@code api}
 * @param joinedAt when it joined the room
 */
public record PresenceMeta(String connection, String node, String kind, Instant joinedAt)
    implements TroupeSerializable {}
