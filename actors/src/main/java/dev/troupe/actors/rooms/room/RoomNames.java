package dev.troupe.actors.rooms.room;

import dev.troupe.actors.identity.Names;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.RoomsSettings;
import java.util.regex.Pattern;

/**
 * Checks of what callers name and ask for, before any entity is asked: room names ({@code
 * [A-Za-z0-9._-]}, at most {@code max-room-name-bytes}), usernames (the identity rule, {@link
 * Names}) and settings within {@code troupe.rooms.limits}. Each check throws {@link RoomException}
 * INVALID.
 */
public final class RoomNames {

  private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9._-]+");

  private RoomNames() {}

  /** Whether a room name is acceptable with the given longest length. */
  public static boolean validRoom(String room, int maxBytes) {
    return room != null
        && !room.isEmpty()
        && room.length() <= maxBytes
        && ROOM.matcher(room).matches();
  }

  /** The room name, if acceptable. */
  public static String room(String room, int maxBytes) {
    if (!validRoom(room, maxBytes)) {
      throw RoomRefusals.invalid(
          "a room name has 1 to " + maxBytes + " letters, digits, '.', '_' or '-'");
    }
    return room;
  }

  /** The username, if it follows the identity rule. */
  public static String user(String user) {
    if (!Names.valid(user)) {
      throw RoomRefusals.invalid("a username matches " + Names.PATTERN);
    }
    return user;
  }

  /** The settings, if within the limits: history and connections at least 1, at most the limits. */
  public static RoomSettings settings(RoomSettings settings, long maxHistory, int maxConnections) {
    if (settings == null) {
      throw RoomRefusals.invalid("settings are missing");
    }
    if (settings.maxHistory() < 1 || settings.maxHistory() > maxHistory) {
      throw RoomRefusals.invalid("maxHistory must be between 1 and " + maxHistory);
    }
    if (settings.maxConnections() < 1 || settings.maxConnections() > maxConnections) {
      throw RoomRefusals.invalid("maxConnections must be between 1 and " + maxConnections);
    }
    return settings;
  }

  /** The settings, if within the configured limits. */
  public static RoomSettings settings(RoomSettings settings, RoomsSettings limits) {
    return settings(settings, limits.maxHistoryLimit(), limits.maxConnectionsLimit());
  }
}
