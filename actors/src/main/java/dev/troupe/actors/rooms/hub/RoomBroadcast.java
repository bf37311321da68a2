package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.persistence.TroupeSerializable;

/**
 * What travels on a room's topic ({@link RoomTopics}): at most once, to one hub per node. The room
 * entity publishes messages, heads, removals and closing; hubs publish signals and presence.
 */
public sealed interface RoomBroadcast extends TroupeSerializable {

  /** A message the room persisted. */
  record Published(RoomMessage message) implements RoomBroadcast {}

  /**
   * The room's latest offset: sent after the room recovers and again shortly after its last post,
   * so a hub that missed a live message fills the gap from the journal.
   */
  record Head(String room, long head) implements RoomBroadcast {}

  /**
   * Puts a user's connections out of the room: {@code code} is {@code kicked} (connections are
   * also closed), {@code banned} or {@code not_member}.
   */
  record Removal(String room, String user, String code) implements RoomBroadcast {}

  /** The room was closed. */
  record Closed(String room) implements RoomBroadcast {}

  /** An ephemeral signal from one connection to the room's others. */
  record Signal(String room, String fromConnection, String sender, String body) implements RoomBroadcast {}
}
