package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomException;
import org.apache.pekko.pattern.StatusReply;

/**
 * Refusals travel from room entities as {@code StatusReply} errors whose text is {@code <code>:
 * <message>} ({@link RoomException.Kind#code()}); callers turn them back into {@link
 * RoomException}s.
 */
public final class RoomRefusals {

  private RoomRefusals() {}

  /** The error reply for a refusal. */
  public static <T> StatusReply<T> reply(RoomException refusal) {
    return StatusReply.error(text(refusal.kind(), refusal.getMessage()));
  }

  /** The error text for a kind and message. */
  public static String text(RoomException.Kind kind, String message) {
    return kind.code() + ": " + message;
  }

  /**
   * The exception an error text stands for. A text without a known code (not from a room) is
   * reported as UNAVAILABLE with the text as message.
   */
  public static RoomException fromText(String text) {
    String message = text == null ? "" : text;
    int colon = message.indexOf(": ");
    if (colon > 0) {
      String code = message.substring(0, colon);
      for (RoomException.Kind kind : RoomException.Kind.values()) {
        if (kind.code().equals(code)) {
          return new RoomException(kind, message.substring(colon + 2));
        }
      }
    }
    return new RoomException(RoomException.Kind.UNAVAILABLE, message);
  }

  static RoomException notFound(String room) {
    return new RoomException(RoomException.Kind.NOT_FOUND, "room " + room + " does not exist");
  }

  private static final String BANNED = "you are banned from room ";
  private static final String MEMBERS_ONLY = " is for members only";

  /** The refusal of a user banned from the room. */
  public static RoomException banned(String room) {
    return forbidden(BANNED + room);
  }

  /** The refusal of a user who is neither a member of a members-only room nor an admin. */
  public static RoomException membersOnly(String room) {
    return forbidden("room " + room + MEMBERS_ONLY);
  }

  /**
   * Whether a FORBIDDEN refusal (also after its trip as text) says the user is banned: the hubs put
   * such users out with code {@code banned}.
   */
  public static boolean isBan(RoomException refusal) {
    return refusal.kind() == RoomException.Kind.FORBIDDEN
        && refusal.getMessage() != null
        && refusal.getMessage().startsWith(BANNED);
  }

  /** Whether a FORBIDDEN refusal says the room is for members only (code {@code not_member}). */
  public static boolean isMembersOnly(RoomException refusal) {
    return refusal.kind() == RoomException.Kind.FORBIDDEN
        && refusal.getMessage() != null
        && refusal.getMessage().endsWith(MEMBERS_ONLY);
  }

  static RoomException forbidden(String message) {
    return new RoomException(RoomException.Kind.FORBIDDEN, message);
  }

  static RoomException invalid(String message) {
    return new RoomException(RoomException.Kind.INVALID, message);
  }
}
