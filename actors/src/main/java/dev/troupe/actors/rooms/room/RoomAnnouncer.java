package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.hub.RoomBroadcast;
import dev.troupe.actors.rooms.hub.RoomTopics;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * A room entity's voice on its topic ({@link RoomTopics}), a child of the entity: publishes what
 * the room persisted and announces the room's head after recovery and {@code head-announce-delay}
 * after the last post (one timer, restarted by every post), so a hub that missed a live message
 * reads it from the journal. Owns the room's topic instance on this node.
 *
 * <p>Local to the entity's node: its messages are never serialized.
 */
final class RoomAnnouncer {

  /** What the entity tells it. */
  sealed interface Command {}

  /** Publishes a broadcast as it is. */
  record Publish(RoomBroadcast broadcast) implements Command {}

  /** Publishes a persisted message and announces the head a delay after the last one. */
  record Posted(RoomMessage message) implements Command {}

  /** The room recovered with this head: announce it now and once more after the delay. */
  record Recovered(long head) implements Command {}

  private record Announce(long head) implements Command {}

  private static final Object TIMER = "head";

  private RoomAnnouncer() {}

  static Behavior<Command> create(String org, String room, Duration delay) {
    return Behaviors.setup(
        context -> {
          ActorRef<Topic.Command<RoomBroadcast>> topic =
              context.spawn(Topic.create(RoomBroadcast.class, RoomTopics.name(org, room)), "topic");
          return Behaviors.withTimers(
              timers ->
                  Behaviors.receive(Command.class)
                      .onMessage(
                          Publish.class,
                          p -> {
                            topic.tell(Topic.publish(p.broadcast()));
                            return Behaviors.same();
                          })
                      .onMessage(
                          Posted.class,
                          p -> {
                            topic.tell(Topic.publish(new RoomBroadcast.Published(p.message())));
                            timers.startSingleTimer(
                                TIMER, new Announce(p.message().offset()), delay);
                            return Behaviors.same();
                          })
                      .onMessage(
                          Recovered.class,
                          r -> {
                            if (r.head() > 0) {
                              topic.tell(Topic.publish(new RoomBroadcast.Head(room, r.head())));
                              timers.startSingleTimer(TIMER, new Announce(r.head()), delay);
                            }
                            return Behaviors.same();
                          })
                      .onMessage(
                          Announce.class,
                          a -> {
                            topic.tell(Topic.publish(new RoomBroadcast.Head(room, a.head())));
                            return Behaviors.same();
                          })
                      .build());
        });
  }
}
