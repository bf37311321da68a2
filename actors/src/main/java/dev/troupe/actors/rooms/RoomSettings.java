package dev.troupe.actors.rooms;

import dev.troupe.persistence.TroupeSerializable;
import java.util.Objects;

/**
 * What an org admin sets on a room ({@code PUT /rooms/{room}}).
 *
 * @param visibility who may join and read: everyone in the org, or members only
 * @param maxHistory how many of the latest messages stay readable (older ones are not served)
 * @param maxConnections live connections the room accepts across the cluster
 * @param posting who may post
 */
public record RoomSettings(Visibility visibility, long maxHistory, int maxConnections, Posting posting)
    implements TroupeSerializable {

  /** Who may join and read. */
  public enum Visibility {
    PUBLIC,
    MEMBERS
  }

  /** Who may post. */
  public enum Posting {
    /** Everyone who may join. */
    ANYONE,
    /** Members only (in a public room too). */
    MEMBERS,
    /** Org admins only (announcement rooms). */
    ADMINS
  }

  public RoomSettings {
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(posting, "posting");
  }
}
