package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceDelta;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceSync;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What one hub knows of the other nodes' presence in its room: for each node, its hub, the
 * version of its state applied here and when it was last heard of. Deltas apply in version order;
 * a hole, a different version in a heartbeat, or a new hub answers {@code true} ("ask that hub
 * for its full state"), once: while that request is unanswered (for at most {@link
 * #REQUEST_TIMEOUT}), further holes or versions do not ask again, since every answer is the
 * node's whole state. A new hub starts empty at version 0, so its first deltas apply directly.
 */
final class PresenceGossip {

  /** How long a full-state request may stay unanswered before another is sent. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private static final class Remote {
    ActorRef<RoomBroadcast> hub;
    long version;
    long heardAt;
    boolean synced;
    long assembling = -1;
    int partsSeen;
    Map<String, List<PresenceMeta>> parts;
    boolean requested;
    long requestedAt;
  }

  private final Map<String, Remote> remotes = new HashMap<>();

  /** Applies a delta; true if the sender's full state is needed. */
  boolean onDelta(PresenceDelta delta, long now, PresenceView view, PresenceBatch changes) {
    Remote remote = remote(delta.node(), delta.hub(), now, view, changes);
    if (delta.version() <= remote.version) {
      return false;
    }
    if (delta.version() > remote.version + 1) {
      return ask(remote, now);
    }
    delta.leaves().forEach((user, metas) -> metas.forEach(m -> view.remove(user, m, changes)));
    delta.joins().forEach(
        (user, metas) -> metas.forEach(m -> {
          if (delta.node().equals(m.node())) {
            view.add(user, m, changes);
          }
        }));
    remote.version = delta.version();
    return false;
  }

  /** Takes a part of a node's full state; the node's entries are replaced once all parts are in. */
  void onSync(PresenceSync sync, long now, PresenceView view, PresenceBatch changes) {
    Remote remote = remote(sync.node(), sync.hub(), now, view, changes);
    if (sync.version() < remote.version || sync.parts() < 1) {
      return;
    }
    if (remote.assembling != sync.version()) {
      remote.assembling = sync.version();
      remote.partsSeen = 0;
      remote.parts = new LinkedHashMap<>();
    }
    sync.users().forEach((user, metas) -> remote.parts.computeIfAbsent(user, u -> new ArrayList<>()).addAll(metas));
    remote.partsSeen++;
    if (remote.partsSeen >= sync.parts()) {
      view.replaceNode(sync.node(), remote.parts, changes);
      remote.version = sync.version();
      remote.synced = true;
      remote.assembling = -1;
      remote.parts = null;
      remote.requested = false;
    }
  }

  /** A node says its version (heartbeat or request); true if its full state is needed. */
  boolean onVersion(String node, ActorRef<RoomBroadcast> hub, long version, long now, PresenceView view, PresenceBatch changes) {
    Remote remote = remote(node, hub, now, view, changes);
    if (version == remote.version) {
      remote.synced = true;
      remote.requested = false;
      return false;
    }
    return remote.assembling < version && ask(remote, now);
  }

  /** Whether to ask the node for its full state now: not while an earlier ask is pending. */
  private static boolean ask(Remote remote, long now) {
    if (remote.requested && now - remote.requestedAt < REQUEST_TIMEOUT.toNanos()) {
      return false;
    }
    remote.requested = true;
    remote.requestedAt = now;
    return true;
  }

  /** Forgets a node (it left the cluster): its connections leave. */
  void dropNode(String node, PresenceView view, PresenceBatch changes) {
    remotes.remove(node);
    view.dropNode(node, changes);
  }

  /** Drops the nodes not heard of since {@code silentSince}; answers how many. */
  int expire(long silentSince, PresenceView view, PresenceBatch changes) {
    int dropped = 0;
    for (Iterator<Map.Entry<String, Remote>> it = remotes.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Remote> entry = it.next();
      if (entry.getValue().heardAt - silentSince < 0) {
        it.remove();
        view.dropNode(entry.getKey(), changes);
        dropped++;
      }
    }
    return dropped;
  }

  /** Other nodes whose state is known here (full state or a matching version). */
  int synced() {
    int synced = 0;
    for (Remote remote : remotes.values()) {
      if (remote.synced) {
        synced++;
      }
    }
    return synced;
  }

  private Remote remote(String node, ActorRef<RoomBroadcast> hub, long now, PresenceView view, PresenceBatch changes) {
    Remote remote = remotes.get(node);
    if (remote == null) {
      remote = new Remote();
      remote.hub = hub;
      remotes.put(node, remote);
    } else if (!remote.hub.equals(hub)) {
      // Another hub on that node: it started empty, whatever its predecessor had is gone.
      view.dropNode(node, changes);
      remote = new Remote();
      remote.hub = hub;
      remotes.put(node, remote);
    }
    remote.heardAt = now;
    return remote;
  }
}
