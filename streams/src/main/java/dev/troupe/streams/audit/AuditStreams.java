package dev.troupe.streams.audit;

import com.typesafe.config.Config;
import dev.troupe.persistence.audit.AuditEvent;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.entity.EntityModel;
import dev.troupe.persistence.journal.AuditJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Reads an entity's history for audit: pages of events, an endless stream that replays then
 * follows, and the state folded up to a point. Every read is a backpressured stream over the
 * journal, so histories of any length take bounded memory; state rebuilds (which replay from the
 * first event) are also bounded in number and time.
 */
public final class AuditStreams {

  /** One page of events and the sequence number to ask for next, or null at the end. */
  public record Page(List<AuditEvent> events, Long next) {}

  private final ActorSystem<?> system;
  private final AuditJournal journal;
  private final AuditRenderer renderer;
  private final Semaphore rebuilds;
  private final int maxRebuilds;
  private final Duration rebuildTimeout;

  public AuditStreams(ActorSystem<?> system, AuditRenderer renderer) {
    this.system = system;
    this.journal = new AuditJournal(system);
    this.renderer = renderer;
    Config config = system.settings().config().getConfig("troupe.audit");
    this.maxRebuilds = config.getInt("max-concurrent-rebuilds");
    this.rebuilds = new Semaphore(maxRebuilds);
    this.rebuildTimeout = config.getDuration("rebuild-timeout");
  }

  /** Up to {@code limit} events in the range, failing with {@link HistoryTrimmedException}. */
  public CompletionStage<Page> page(
      EntityModel<?, ?> model, String persistenceId, AuditRange range, int limit) {
    return checkRetained(persistenceId, range)
        .thenCompose(
            ignored ->
                filtered(journal.current(persistenceId, range.fromSeq(), range.toSeq()), range)
                    .take(limit + 1L)
                    .map(envelope -> render(model, envelope))
                    .runWith(Sink.seq(), system))
        .thenApply(
            events -> {
              if (events.size() <= limit) {
                return new Page(List.copyOf(events), null);
              }
              return new Page(List.copyOf(events.subList(0, limit)), events.get(limit).seq());
            });
  }

  /** Every event in the range as stored now, then completes (no page limit). */
  public CompletionStage<Source<AuditEvent, NotUsed>> current(
      EntityModel<?, ?> model, String persistenceId, AuditRange range) {
    return checkRetained(persistenceId, range)
        .thenApply(
            ignored ->
                filtered(journal.current(persistenceId, range.fromSeq(), range.toSeq()), range)
                    .map(envelope -> render(model, envelope)));
  }

  /**
   * The events in the range, then, while the range is open-ended, every new event as it is
   * written. Completes when the range's end is passed.
   */
  public CompletionStage<Source<AuditEvent, NotUsed>> follow(
      EntityModel<?, ?> model, String persistenceId, AuditRange range) {
    return checkRetained(persistenceId, range)
        .thenApply(
            ignored ->
                filtered(journal.follow(persistenceId, range.fromSeq()), range)
                    // Inclusive: the event at toSeq is emitted, then the stream completes.
                    .takeWhile(envelope -> envelope.sequenceNr() < range.toSeq(), true)
                    .map(envelope -> render(model, envelope)));
  }

  /** The state after the last event with a sequence number up to {@code atSeq}. */
  public <S> CompletionStage<StateAt> stateAtSeq(
      EntityModel<S, ?> model, String persistenceId, long atSeq) {
    return rebuild(model, persistenceId, journal.current(persistenceId, 0L, atSeq));
  }

  /** The state after the last event that happened at or before {@code atTime}. */
  public <S> CompletionStage<StateAt> stateAtTime(
      EntityModel<S, ?> model, String persistenceId, Instant atTime) {
    Source<EventEnvelope, NotUsed> events =
        journal
            .current(persistenceId, 0L, Long.MAX_VALUE)
            .takeWhile(envelope -> !timestampOf(envelope).isAfter(atTime));
    return rebuild(model, persistenceId, events);
  }

  private <S> CompletionStage<StateAt> rebuild(
      EntityModel<S, ?> model, String persistenceId, Source<EventEnvelope, NotUsed> events) {
    if (!rebuilds.tryAcquire()) {
      return CompletableFuture.failedFuture(new RebuildLimitException(maxRebuilds));
    }
    record Folded<T>(long seq, T state) {}
    CompletionStage<StateAt> result =
        checkRetained(persistenceId, AuditRange.ALL)
            .thenCompose(
                ignored ->
                    events
                        .completionTimeout(rebuildTimeout)
                        .runWith(
                            Sink.fold(
                                new Folded<>(0L, model.emptyState()),
                                (acc, envelope) ->
                                    new Folded<>(
                                        envelope.sequenceNr(),
                                        model.applyUntyped(acc.state(), envelope.event()))),
                            system))
            .thenApply(folded -> new StateAt(folded.seq(), renderer.state(model, folded.state())));
    return result.whenComplete((value, error) -> rebuilds.release());
  }

  /** Fails when events the range asks for were removed by retention. */
  private CompletionStage<Void> checkRetained(String persistenceId, AuditRange range) {
    return journal
        .first(persistenceId)
        .thenAccept(
            first -> {
              if (trimmed(first, range)) {
                throw new HistoryTrimmedException(first.get().sequenceNr());
              }
            });
  }

  private static boolean trimmed(Optional<EventEnvelope> first, AuditRange range) {
    if (first.isEmpty() || first.get().sequenceNr() <= 1 || range.fromSeq() >= first.get().sequenceNr()) {
      return false;
    }
    // Events before the first kept one are gone; they matter unless the time window starts after
    // the first kept event.
    return range.fromTime() == null || timestampOf(first.get()).isAfter(range.fromTime());
  }

  private static Source<EventEnvelope, NotUsed> filtered(
      Source<EventEnvelope, NotUsed> events, AuditRange range) {
    return events
        .dropWhile(envelope -> !range.afterStart(timestampOf(envelope)))
        .takeWhile(envelope -> range.beforeEnd(timestampOf(envelope)));
  }

  private AuditEvent render(EntityModel<?, ?> model, EventEnvelope envelope) {
    return renderer.event(model, envelope.sequenceNr(), envelope.event());
  }

  private static Instant timestampOf(EventEnvelope envelope) {
    return ((AuditedEvent) envelope.event()).audit().timestamp();
  }
}
