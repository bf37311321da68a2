package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceState;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomInfo;
import java.util.OptionalLong;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What a node's live connections ask of their room's hub, through {@link RoomHubs} (which spawns
 * the hub when needed and forwards in order). Node-local: never serialized.
 */
public sealed interface HubRequest extends RoomHubs.Command, RoomHub.Command {

  String org();

  String room();

  /**
   * Adds the client to the room (access already checked, {@code info} is the room as it
   * answered) and queues {@code Joined}, the presence, the messages after {@code since}, then
   * live ones. Refused with {@code RoomException} {@code ROOM_FULL}.
   *
   * @param token the caller's mark of this join, handed back in {@link ClientRooms#left}
   * @param admin whether the client's principal holds {@code rooms.admin}: the hub asks the room
   *     again about the client's access as such when access may have changed ({@link RoomAccess})
   */
  record Join(
      String org,
      String room,
      RoomInfo info,
      RoomClient client,
      Object token,
      OptionalLong since,
      String ref,
      boolean admin,
      ActorRef<StatusReply<Done>> replyTo)
      implements HubRequest {}

  /** Removes the client; queues {@code Left} unless {@code ref} is null (a disconnect). */
  record Leave(String org, String room, RoomClient client, String ref) implements HubRequest {}

  /** A signal from the client to the room's other connections (ignored unless it has joined). */
  record Send(String org, String room, RoomClient client, String body) implements HubRequest {}

  /** The room's presence (a new hub first asks the other nodes, waiting a short while). */
  record GetPresence(String org, String room, RoomInfo info, ActorRef<PresenceState> replyTo)
      implements HubRequest {}
}
