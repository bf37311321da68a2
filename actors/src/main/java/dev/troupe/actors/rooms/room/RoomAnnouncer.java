package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.hub.RoomBroadcast;
import dev.troupe.actors.rooms.hub.RoomTopics;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * A room entity's voice on its topic ({@link RoomTopics}), a child of the entity: publishes what
 * the room persisted and announces the room's head and access epoch ({@link RoomBroadcast.Head})
 * after recovery and {@code head-announce-delay} after the last post or access change (one timer,
 * restarted by each), so a hub that missed a live message reads it from the journal and one that
 * missed an access change asks about its users again. Owns the room's topic instance on this
 * node.
 *
 * <p>Local to the entity's node: its messages are never serialized.
 */
final class RoomAnnouncer extends AbstractBehavior<RoomAnnouncer.Command> {

  /** What the entity tells it. */
  sealed interface Command {}

  /** Publishes a broadcast as it is. */
  record Publish(RoomBroadcast broadcast) implements Command {}

  /** Publishes a persisted message and announces the head a delay after the last one. */
  record Posted(RoomMessage message) implements Command {}

  /** The room's access epoch after persisting; a higher one is announced after the delay. */
  record AccessEpoch(long epoch) implements Command {}

  /** The room recovered with this head and epoch: announce them now and once more after the delay. */
  record Recovered(long head, long accessEpoch) implements Command {}

  private enum Announce implements Command {
    INSTANCE
  }

  private static final Object TIMER = "head";

  private final String room;
  private final Duration delay;
  private final TimerScheduler<Command> timers;
  private final ActorRef<Topic.Command<RoomBroadcast>> topic;
  private long head;
  private long accessEpoch;

  static Behavior<Command> create(String org, String room, Duration delay) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new RoomAnnouncer(context, timers, org, room, delay)));
  }

  private RoomAnnouncer(
      ActorContext<Command> context, TimerScheduler<Command> timers, String org, String room, Duration delay) {
    super(context);
    this.room = room;
    this.delay = delay;
    this.timers = timers;
    this.topic = context.spawn(Topic.create(RoomBroadcast.class, RoomTopics.name(org, room)), "topic");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Publish.class, this::onPublish)
        .onMessage(Posted.class, this::onPosted)
        .onMessage(AccessEpoch.class, this::onAccessEpoch)
        .onMessage(Recovered.class, this::onRecovered)
        .onMessageEquals(Announce.INSTANCE, this::onAnnounce)
        .build();
  }

  private Behavior<Command> onPublish(Publish publish) {
    topic.tell(Topic.publish(publish.broadcast()));
    return this;
  }

  private Behavior<Command> onPosted(Posted posted) {
    topic.tell(Topic.publish(new RoomBroadcast.Published(posted.message())));
    head = Math.max(head, posted.message().offset());
    timers.startSingleTimer(TIMER, Announce.INSTANCE, delay);
    return this;
  }

  private Behavior<Command> onAccessEpoch(AccessEpoch epoch) {
    if (epoch.epoch() > accessEpoch) {
      accessEpoch = epoch.epoch();
      timers.startSingleTimer(TIMER, Announce.INSTANCE, delay);
    }
    return this;
  }

  private Behavior<Command> onRecovered(Recovered recovered) {
    head = recovered.head();
    accessEpoch = recovered.accessEpoch();
    if (head > 0 || accessEpoch > 0) {
      onAnnounce();
      timers.startSingleTimer(TIMER, Announce.INSTANCE, delay);
    }
    return this;
  }

  private Behavior<Command> onAnnounce() {
    topic.tell(Topic.publish(new RoomBroadcast.Head(room, head, accessEpoch)));
    return this;
  }
}
