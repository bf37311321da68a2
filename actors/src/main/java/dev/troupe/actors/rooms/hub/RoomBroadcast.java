package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.persistence.TroupeSerializable;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What travels on a room's topic ({@link RoomTopics}): at most once, to one hub per node. The room
 * entity publishes messages, heads, removals and closing; hubs publish signals and presence.
 *
 * <p>Presence is per node: each node's hub owns its node's connections in the room and sends them
 * to the others as versioned deltas ({@link PresenceDelta}, version n follows n-1), a receiver
 * that sees a hole or a different version asks that hub for its full state ({@link
 * PresenceRequest}, answered by {@link PresenceSync}). Broadcasts are also hub commands, so a hub
 * subscribes itself to the topic.
 */
public sealed interface RoomBroadcast extends TroupeSerializable, RoomHub.Command {

  /** A message the room persisted. */
  record Published(RoomMessage message) implements RoomBroadcast {}

  /**
   * The room's latest offset and access epoch: sent after the room recovers and again shortly
   * after its last post or access change, so a hub that missed a live message fills the gap from
   * the journal, and one that missed a ban, kick, removal or closing (its epoch is higher than the
   * one the hub acted on) asks the room again about its users.
   *
   * @param accessEpoch how many events of the room may have put out someone connected (grows
   *     only; see {@code RoomState#accessEpoch})
   */
  record Head(String room, long head, long accessEpoch) implements RoomBroadcast {}

  /**
   * About a user's connections: {@code code} is {@code kicked} (they are put out of the room and
   * closed), {@code banned} or {@code not_member} (a hub asks the room about the user again and
   * puts them out only if refused: an org admin removed from the members stays).
   */
  record Removal(String room, String user, String code) implements RoomBroadcast {}

  /**
   * Who may read the room may have changed (it became or stayed members-only with new settings, a
   * user was banned, a member of a members-only room was removed): every hub asks the room again
   * about each of its local users and puts out those it now refuses. Nothing else needs it: a
   * change that can only let more users in is not announced, and posting rules are checked by the
   * room on every post.
   */
  record AccessChanged(String room) implements RoomBroadcast {}

  /** The room was closed. */
  record Closed(String room) implements RoomBroadcast {}

  /** An ephemeral signal from one connection to the room's others. */
  record Signal(String room, String fromConnection, String sender, String body) implements RoomBroadcast {}

  /**
   * One node's presence changes in the room: leaves apply before joins; {@code version} is one
   * more than the node's previous delta (a big batch is split over several versions).
   *
   * @param node the cluster address of the node whose connections these are
   * @param hub that node's hub for the room (where to ask for the full state)
   */
  record PresenceDelta(
      String room,
      String node,
      ActorRef<RoomBroadcast> hub,
      long version,
      Map<String, List<PresenceMeta>> joins,
      Map<String, List<PresenceMeta>> leaves)
      implements RoomBroadcast {}

  /**
   * One node's full presence in the room at {@code version}, in {@code parts} messages (so none
   * outgrows a remote frame); the receiver replaces that node's entries once it has all parts.
   */
  record PresenceSync(
      String room,
      String node,
      ActorRef<RoomBroadcast> hub,
      long version,
      int part,
      int parts,
      Map<String, List<PresenceMeta>> users)
      implements RoomBroadcast {}

  /**
   * Asks for the full presence of every node ({@code replyTo} gets one {@link PresenceSync} per
   * node); also says the asking node's own version, like {@link PresenceVersion}.
   */
  record PresenceRequest(String room, String node, ActorRef<RoomBroadcast> replyTo, long version)
      implements RoomBroadcast {}

  /**
   * A node's presence version, sent every {@code presence.refresh-interval}: a receiver that has
   * another version asks for the full state, and a node not heard of for three intervals is
   * dropped (its hub stopped or lost its last delta).
   */
  record PresenceVersion(String room, String node, ActorRef<RoomBroadcast> hub, long version)
      implements RoomBroadcast {}
}
