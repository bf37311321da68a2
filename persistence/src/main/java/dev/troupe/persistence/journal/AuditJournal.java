package dev.troupe.persistence.journal;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Reads one entity's events back from whichever journal the node runs on. Every source here is
 * backpressured: the plugins page through the store, so any history streams in bounded memory.
 */
public final class AuditJournal {

  private final CurrentEventsByPersistenceIdQuery current;
  private final EventsByPersistenceIdQuery live;
  private final ActorSystem<?> system;

  public AuditJournal(ActorSystem<?> system) {
    this.system = system;
    String pluginId = system.settings().config().getString("troupe.persistence.read-journal-plugin");
    ReadJournal journal =
        PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, pluginId);
    this.current = (CurrentEventsByPersistenceIdQuery) journal;
    this.live = (EventsByPersistenceIdQuery) journal;
  }

  /** The events now stored with sequence numbers in {@code [fromSeq, toSeq]}, then completes. */
  public Source<EventEnvelope, NotUsed> current(String persistenceId, long fromSeq, long toSeq) {
    return current.currentEventsByPersistenceId(persistenceId, fromSeq, toSeq);
  }

  /** The events from {@code fromSeq} on, then every new one as it is written; never completes. */
  public Source<EventEnvelope, NotUsed> follow(String persistenceId, long fromSeq) {
    return live.eventsByPersistenceId(persistenceId, fromSeq, Long.MAX_VALUE);
  }

  /**
   * The oldest event still stored, or empty when the entity has none. A sequence number above 1
   * means older events were removed by retention.
   */
  public CompletionStage<Optional<EventEnvelope>> first(String persistenceId) {
    return current.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
        .take(1)
        .runWith(Sink.headOption(), system);
  }
}
