package dev.troupe.actors.rooms.hub;

/** The name of a room's topic: one per org and room, the same on every node. */
public final class RoomTopics {

  private RoomTopics() {}

  public static String name(String org, String room) {
    return "room~" + org + "~" + room;
  }
}
