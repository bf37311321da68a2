package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomClient;

/**
 * The node's registry of live connections as hubs see it: a hub tells it when it puts a client
 * out of a room on its own (kick, ban, close, slow client) and when a client must be ended.
 */
public interface ClientRooms {

  /**
   * The hub no longer delivers the room to the client; {@code token} is the one its join carried
   * (a later join of the same room has another and stays).
   */
  void left(RoomClient client, String room, Object token);

  /** Ends the client's connection once what is queued for it has gone out. */
  void end(RoomClient client);
}
