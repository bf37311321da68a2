package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.journal.AuditJournal;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A room's messages read back from the journal by offset, on whichever journal the node runs (H2 or
 * Cassandra), for history pages, resumes and gap fills.
 *
 * <p>A message's offset is always below its sequence number (the room's first event, Created, has
 * none), so the read starts at sequence number {@code after + 1} and skips the events that are not
 * messages: it reads at most as many extra events as the room recorded other events (settings,
 * members, bans, kicks) before that position, which are rare. It stops at the first message at or
 * past {@code before}, or after {@code limit} messages.
 */
public final class RoomJournal {

  private final ActorSystem<?> system;
  private volatile AuditJournal journal;

  public RoomJournal(ActorSystem<?> system, RoomsSettings settings) {
    this.system = system;
  }

  /**
   * The stored messages of the room with {@code after < offset < before}, oldest first, at most
   * {@code limit}; completes after them. Backpressured, bounded memory. Does not check that the
   * room exists or who may read it, nor its {@code maxHistory} (callers clamp {@code after}).
   */
  public Source<RoomMessage, NotUsed> messages(
      String org, String room, long after, long before, long limit) {
    if (limit <= 0 || before <= after + 1 || before <= 1) {
      return Source.empty();
    }
    String persistenceId = EntityIds.persistenceId(RoomEntity.TYPE, EntityIds.scoped(org, room));
    long from = Math.max(1, after + 1);
    return journal()
        .current(persistenceId, from, Long.MAX_VALUE)
        .map(EventEnvelope::event)
        .filter(event -> event instanceof RoomEvent.Posted p && p.offset() > after)
        .map(event -> (RoomEvent.Posted) event)
        .takeWhile(posted -> posted.offset() < before)
        .take(limit)
        .map(
            posted ->
                new RoomMessage(
                    room, posted.offset(), posted.sender(), posted.timestamp(), posted.body()));
  }

  private AuditJournal journal() {
    AuditJournal current = journal;
    if (current == null) {
      synchronized (this) {
        if (journal == null) {
          journal = new AuditJournal(system);
        }
        current = journal;
      }
    }
    return current;
  }
}
