package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceDelta;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceRequest;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceSync;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceVersion;
import java.time.Duration;

/**
 * A hub's presence traffic, around its {@link RoomPresence}: what other nodes' hubs tell (deltas,
 * syncs, versions, requests) and this node's batched changes and heartbeats published on the topic;
 * the batched diff handed to local clients on each flush (not to API subscribers). Not
 * thread-safe: the hub's own.
 */
final class HubGossip {

  private final String selfNode;
  private final Duration refreshInterval;
  private final RoomPresence presence;
  private final HubMembers members;
  private final HubEffects effects;

  HubGossip(String selfNode, Duration refreshInterval, RoomPresence presence, HubMembers members, HubEffects effects) {
    this.selfNode = selfNode;
    this.refreshInterval = refreshInterval;
    this.presence = presence;
    this.members = members;
    this.effects = effects;
  }

  void delta(PresenceDelta delta) {
    presence.onDelta(delta, System.nanoTime()).ifPresent(request -> delta.hub().tell(request));
    scheduleFlushIfChanged();
  }

  /** A part of another node's full state; answers whether it was another node's (not this one's). */
  boolean sync(PresenceSync sync) {
    if (selfNode.equals(sync.node())) {
      return false;
    }
    presence.onSync(sync, System.nanoTime());
    scheduleFlushIfChanged();
    return true;
  }

  void request(PresenceRequest request) {
    if (selfNode.equals(request.node())) {
      return;
    }
    publishDeltas();
    presence.syncs().forEach(sync -> request.replyTo().tell(sync));
    presence
        .onVersion(request.node(), request.replyTo(), request.version(), System.nanoTime())
        .ifPresent(ask -> request.replyTo().tell(ask));
    scheduleFlushIfChanged();
  }

  void version(PresenceVersion heartbeat) {
    presence
        .onVersion(heartbeat.node(), heartbeat.hub(), heartbeat.version(), System.nanoTime())
        .ifPresent(ask -> heartbeat.hub().tell(ask));
    scheduleFlushIfChanged();
  }

  /** A node left the cluster: its connections leave. */
  void nodeRemoved(String node) {
    presence.dropNode(node);
    scheduleFlushIfChanged();
  }

  /** Publishes this node's version; nodes silent for three refresh intervals leave. */
  void heartbeat() {
    effects.publish(presence.heartbeat());
    long silentSince = System.nanoTime() - refreshInterval.multipliedBy(3).toNanos();
    presence.expire(silentSince);
    scheduleFlushIfChanged();
  }

  /** The batch interval passed: this node's changes go out, and the diff to local clients. */
  void flush() {
    publishDeltas();
    presence.takeDiff().ifPresent(output -> members.offerEach(output, member -> !member.isApi()));
  }

  /** Sends this node's pending joins and leaves, one version per part. */
  void publishDeltas() {
    presence.deltas().forEach(effects::publish);
  }

  private void scheduleFlushIfChanged() {
    if (presence.changed()) {
      effects.scheduleFlush();
    }
  }
}
