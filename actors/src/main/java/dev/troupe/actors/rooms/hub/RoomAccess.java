package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomInfo;
import java.util.concurrent.CompletionStage;

/** How a hub asks a room whether one of its local users may still read it. */
@FunctionalInterface
public interface RoomAccess {

  /**
   * The room's info if the user may read it, else a stage failed with {@code RoomException}
   * NOT_FOUND (no such room, or closed) or FORBIDDEN (banned, or not a member of a members-only
   * room); any other failure means the room did not answer. Must not block.
   *
   * @param admin whether the user held {@code rooms.admin} when they joined
   */
  CompletionStage<RoomInfo> check(String org, String room, String user, boolean admin);
}
