package dev.troupe.actors.rooms;

import dev.troupe.persistence.TroupeSerializable;
import java.util.List;
import java.util.Map;

/**
 * Who is in a room: each user once, with one meta per live connection. Above {@code
 * troupe.rooms.presence.list-threshold} users only the counts are filled ({@code users} empty,
 * {@code truncated} set).
 */
public record PresenceState(
    String room, int userCount, int connectionCount, Map<String, List<PresenceMeta>> users, boolean truncated)
    implements TroupeSerializable {}
