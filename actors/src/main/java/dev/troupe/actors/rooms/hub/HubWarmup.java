package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A new hub's warmup: for a few seconds it watches its topic for new instances (other nodes' hubs
 * becoming visible) and asks them for their presence; it answers presence queries once every
 * visible node answered, or after a short wait; at the end it has its local users' access checked
 * once, as what the room published before its topic instance listed this hub went elsewhere. Not
 * thread-safe: the hub's own.
 */
final class HubWarmup {

  /** How often a new hub looks for new topic instances to ask for presence. */
  static final Duration TICK = Duration.ofMillis(100);

  /** How long a new hub keeps looking. */
  private static final Duration WARMUP = Duration.ofSeconds(3);

  /** How long a presence query to a new hub waits for the other nodes at most. */
  private static final Duration PRESENCE_WAIT = Duration.ofMillis(500);

  private final RoomPresence presence;
  private final HubRechecks rechecks;
  private final HubEffects effects;

  private final long startedAt = System.nanoTime();
  private int instancesAsked;
  private boolean presenceReady;
  private final List<ActorRef<PresenceState>> waitingPresence = new ArrayList<>();

  HubWarmup(RoomPresence presence, HubRechecks rechecks, HubEffects effects) {
    this.presence = presence;
    this.rechecks = rechecks;
    this.effects = effects;
  }

  /** A warmup tick: the topic is asked for its instances, or the warmup ends. */
  void tick() {
    if (System.nanoTime() - startedAt > WARMUP.toNanos()) {
      effects.stopWarmupTicks();
      // Until the room's own topic instance listed this hub, what it published went elsewhere:
      // a post, a ban or new settings then would stay unseen. Ask the room about every local
      // user once; the answers also carry the head.
      rechecks.warmupEnded();
    } else {
      effects.askTopicStats();
    }
  }

  /** The topic knows {@code instances} instances. */
  void stats(int instances) {
    if (instances > instancesAsked) {
      // Hubs that just became visible: ask them (they also learn this hub's version).
      instancesAsked = instances;
      effects.publish(presence.request());
    }
    checkPresenceReady(instances);
  }

  /** A presence query: answered now if ready, else once ready. */
  void query(ActorRef<PresenceState> replyTo) {
    if (presenceReady) {
      replyTo.tell(presence.snapshot());
    } else {
      waitingPresence.add(replyTo);
    }
  }

  /** Whether presence queries wait for an answer. */
  boolean queriesWaiting() {
    return !waitingPresence.isEmpty();
  }

  /** A new hub answers presence queries once every visible node answered, or after a short wait. */
  void checkPresenceReady(int instances) {
    if (presenceReady) {
      return;
    }
    int visible = Math.max(instances, instancesAsked);
    boolean allAnswered = visible >= 1 && presence.synced() >= visible - 1;
    if (allAnswered || System.nanoTime() - startedAt >= PRESENCE_WAIT.toNanos()) {
      presenceReady = true;
      var state = presence.snapshot();
      waitingPresence.forEach(replyTo -> replyTo.tell(state));
      waitingPresence.clear();
    }
  }
}
