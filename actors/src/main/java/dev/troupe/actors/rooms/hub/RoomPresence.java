package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.PresenceState;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceDelta;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceRequest;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceSync;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One hub's presence of its room, without the actor: the room's {@link PresenceView}, what the
 * other nodes' hubs said ({@link PresenceGossip}), this node's changes not yet sent to them (a
 * {@linkplain PresenceBatch#netted() netted} batch, one version per part) and the changes not yet
 * told to local clients (a {@linkplain PresenceBatch#forClients() client} batch). It answers what
 * to send and to whom; the hub sends it. Times are {@link System#nanoTime} values. Not
 * thread-safe: the hub's own.
 */
final class RoomPresence {

  private final String room;
  private final String selfNode;
  private final ActorRef<RoomBroadcast> self;
  private final int listThreshold;
  private final int maxPerMessage;

  private final PresenceView view = new PresenceView();
  private final PresenceGossip gossip = new PresenceGossip();
  private final PresenceBatch outgoing = PresenceBatch.netted();
  private final PresenceBatch diff = PresenceBatch.forClients();
  private long version;

  /**
   * @param self the hub, where other hubs send requests and syncs
   * @param maxPerMessage most connections per presence message to another node
   */
  RoomPresence(String room, String selfNode, ActorRef<RoomBroadcast> self, int listThreshold, int maxPerMessage) {
    this.room = room;
    this.selfNode = selfNode;
    this.self = self;
    this.listThreshold = listThreshold;
    this.maxPerMessage = maxPerMessage;
  }

  int connectionCount() {
    return view.connectionCount();
  }

  /** Who is present now (counts only above the list threshold). */
  PresenceState snapshot() {
    return view.snapshot(room, listThreshold);
  }

  /** Other nodes whose state is known here. */
  int synced() {
    return gossip.synced();
  }

  /** Whether local clients have changes to be told. */
  boolean changed() {
    return !diff.isEmpty();
  }

  /** A local connection joined. */
  void localJoined(String user, PresenceMeta meta) {
    view.add(user, meta, diff);
    outgoing.joined(user, meta);
  }

  /** A local connection left. */
  void localLeft(String user, PresenceMeta meta) {
    view.remove(user, meta, diff);
    outgoing.left(user, meta);
  }

  /** This node's version, as a request for every node's state (to publish). */
  PresenceRequest request() {
    return new PresenceRequest(room, selfNode, self, version);
  }

  /** This node's version, as a heartbeat (to publish). */
  PresenceVersion heartbeat() {
    return new PresenceVersion(room, selfNode, self, version);
  }

  /** This node's pending changes, one version per part (to publish, in order); then none pend. */
  List<PresenceDelta> deltas() {
    List<PresenceDelta> deltas = new ArrayList<>();
    for (PresenceBatch.Part part : outgoing.drain(maxPerMessage)) {
      version++;
      deltas.add(new PresenceDelta(room, selfNode, self, version, part.joins(), part.leaves()));
    }
    return deltas;
  }

  /** This node's full state, in parts (to send to who asked, after the pending {@link #deltas}). */
  List<PresenceSync> syncs() {
    List<Map<String, List<PresenceMeta>>> chunks = PresenceBatch.chunks(view.node(selfNode), maxPerMessage);
    List<PresenceSync> syncs = new ArrayList<>(chunks.size());
    for (int part = 0; part < chunks.size(); part++) {
      syncs.add(new PresenceSync(room, selfNode, self, version, part, chunks.size(), chunks.get(part)));
    }
    return syncs;
  }

  /** Another node's delta; a request to send to its hub if its full state is needed. */
  Optional<PresenceRequest> onDelta(PresenceDelta delta, long now) {
    if (selfNode.equals(delta.node())) {
      return Optional.empty();
    }
    return gossip.onDelta(delta, now, view, diff) ? Optional.of(request()) : Optional.empty();
  }

  /** A part of another node's full state. */
  void onSync(PresenceSync sync, long now) {
    if (!selfNode.equals(sync.node())) {
      gossip.onSync(sync, now, view, diff);
    }
  }

  /** Another node's version; a request to send to its hub if its full state is needed. */
  Optional<PresenceRequest> onVersion(String node, ActorRef<RoomBroadcast> hub, long otherVersion, long now) {
    if (selfNode.equals(node)) {
      return Optional.empty();
    }
    return gossip.onVersion(node, hub, otherVersion, now, view, diff) ? Optional.of(request()) : Optional.empty();
  }

  /** A node left the cluster: its connections leave. */
  void dropNode(String node) {
    gossip.dropNode(node, view, diff);
  }

  /** Nodes not heard of since then leave. */
  void expire(long silentSince) {
    gossip.expire(silentSince, view, diff);
  }

  /**
   * The diff for local clients since the last one (counts only above the {@linkplain
   * PresenceView#listed list threshold}), if anything changed; then nothing pends.
   */
  Optional<RoomOutput.PresenceDiff> takeDiff() {
    if (diff.isEmpty()) {
      return Optional.empty();
    }
    RoomOutput.PresenceDiff output =
        view.listed(listThreshold)
            ? new RoomOutput.PresenceDiff(room, diff.joins(), diff.leaves(), view.userCount(), view.connectionCount())
            : new RoomOutput.PresenceDiff(room, Map.of(), Map.of(), view.userCount(), view.connectionCount());
    diff.clear();
    return Optional.of(output);
  }
}
