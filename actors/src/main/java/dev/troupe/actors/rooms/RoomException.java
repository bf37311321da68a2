package dev.troupe.actors.rooms;

/**
 * A rooms request refused for a reason the caller can act on. The HTTP edge maps each kind to its
 * status and to the stable {@code code} of WebSocket error frames ({@link Kind#code()}).
 */
public final class RoomException extends RuntimeException {

  /** Why a request was refused. */
  public enum Kind {
    /** Malformed room name, settings, body or parameter (400, {@code invalid}). */
    INVALID("invalid"),
    /** No such room in the caller's org, or it is closed (404, {@code not_found}). */
    NOT_FOUND("not_found"),
    /** Not a member of a members-only room, banned, or not allowed to post (403, {@code forbidden}). */
    FORBIDDEN("forbidden"),
    /** The message is larger than {@code troupe.rooms.max-message-size} (413, {@code too_large}). */
    TOO_LARGE("too_large"),
    /** The room has {@code maxConnections} live connections (409, {@code room_full}). */
    ROOM_FULL("room_full"),
    /**
     * The org has {@code troupe.rooms.max-rooms-per-org} rooms (409), or a connection has joined
     * {@code troupe.rooms.client.max-rooms} rooms (error frame); code {@code too_many_rooms}.
     */
    TOO_MANY_ROOMS("too_many_rooms"),
    /** The room did not answer in time (503, {@code unavailable}). */
    UNAVAILABLE("unavailable");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    /** The stable code of the WebSocket error frame. */
    public String code() {
      return code;
    }
  }

  private final Kind kind;

  public RoomException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
