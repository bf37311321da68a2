package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.room.RoomJournal;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * A hub's flow of messages to its clients: live ones put in offset order ({@link MessageOrder}),
 * holes and heads above the last delivered offset read back from the journal ({@value
 * #FILL_BATCH} at most per read, answers piped back to the hub, retried after the gap-fill
 * timeout), each offset handed once to {@link HubMembers}. Not thread-safe: the hub's own.
 */
final class MessageFlow {

  /** Most messages one journal read of a hole returns; a longer hole takes several. */
  static final int FILL_BATCH = 1000;

  private final String org;
  private final String room;
  private final String key;
  private final RoomsSettings settings;
  private final RoomJournal journal;
  private final ActorSystem<?> system;
  private final HubMembers members;
  private final HubEffects effects;
  private final MessageOrder order;

  MessageFlow(
      String org,
      String room,
      long head,
      RoomsSettings settings,
      RoomJournal journal,
      ActorSystem<?> system,
      HubMembers members,
      HubEffects effects) {
    this.org = org;
    this.room = room;
    this.key = RoomHubs.key(org, room);
    this.settings = settings;
    this.journal = journal;
    this.system = system;
    this.members = members;
    this.effects = effects;
    this.order = new MessageOrder(head);
  }

  /** The latest offset handed to the clients. */
  long last() {
    return order.last();
  }

  /** The room has messages up to {@code head}: reads what is missing. */
  void head(long head) {
    order.head(head);
    fillIfNeeded();
  }

  /** A live message from the topic. */
  void published(RoomMessage message) {
    members.deliver(order.accept(message));
    fillIfNeeded();
  }

  /** A journal read came back ({@code failure} null) or failed. */
  void filled(List<RoomMessage> messages, Throwable failure) {
    if (failure != null) {
      order.fillFailed();
      effects
          .log()
          .warn("Room {}: reading offsets after {} from the journal failed, retrying", key, order.last(), failure);
      effects.retryFillLater();
      return;
    }
    long before = order.last();
    members.deliver(order.filled(messages));
    if (order.last() == before && order.needsFill()) {
      effects
          .log()
          .warn("Room {}: the journal has nothing after offset {} yet (head {}), retrying", key, before, order.target());
      effects.retryFillLater();
    } else {
      fillIfNeeded();
    }
  }

  /** Starts a journal read if a hole is known and none is running. */
  void fillIfNeeded() {
    if (!order.needsFill()) {
      return;
    }
    long after = order.startFill();
    long upTo = Math.min(order.target(), after + FILL_BATCH);
    try {
      effects.pipeFill(
          journal
              .messages(org, room, after, upTo + 1, upTo - after)
              .completionTimeout(settings.gapFillTimeout())
              .runWith(Sink.seq(), system));
    } catch (RuntimeException e) {
      effects.fillFailed(e);
    }
  }
}
