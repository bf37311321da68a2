package dev.troupe.streams.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.entity.EntityModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Paging, time windows, retention and bounded rebuilds, over Pekko's in-memory test journal. */
class AuditStreamsTest {

  record Added(AuditRecord audit, int amount) implements AuditedEvent {}

  private static final EntityModel<Integer, Added> MODEL =
      EntityModel.of("counter", Added.class, 0, (sum, event) -> sum + event.amount());

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "troupe.persistence.read-journal-plugin = \""
                      + PersistenceTestKitReadJournal.Identifier()
                      + "\"\ntroupe.audit.max-concurrent-rebuilds = 1\npekko.actor.provider = local")
              .withFallback(PersistenceTestKitPlugin.getInstance().config())
              .withFallback(ConfigFactory.load()));

  private final PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
  private final AuditStreams streams = new AuditStreams(testKit.system(), new AuditRenderer());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void clear() {
    journal.clearAll();
  }

  /** Events 1..n, one minute apart, amount = seq. */
  private void store(String pid, int n) {
    List<Object> events = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      events.add(new Added(new AuditRecord("p", "t", "r" + i, "n", T0.plusSeconds(60L * (i - 1))), i));
    }
    journal.persistForRecovery(pid, events);
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void pagesThroughHistoryWithNext() throws Exception {
    store("counter|t:a", 5);

    var first = await(streams.page(MODEL, "counter|t:a", AuditRange.ALL, 2));
    var last = await(streams.page(MODEL, "counter|t:a", new AuditRange(5, Long.MAX_VALUE, null, null), 2));

    assertThat(first.events()).extracting(e -> e.seq()).containsExactly(1L, 2L);
    assertThat(first.next()).isEqualTo(3L);
    assertThat(last.events()).extracting(e -> e.seq()).containsExactly(5L);
    assertThat(last.next()).isNull();
  }

  @Test
  void anEntityWithoutEventsIsAnEmptyPage() throws Exception {
    var page = await(streams.page(MODEL, "counter|t:nobody", AuditRange.ALL, 10));

    assertThat(page.events()).isEmpty();
    assertThat(page.next()).isNull();
  }

  @Test
  void filtersByInclusiveTimeWindow() throws Exception {
    store("counter|t:b", 5);
    var window = new AuditRange(1, Long.MAX_VALUE, T0.plusSeconds(60), T0.plusSeconds(180));

    var page = await(streams.page(MODEL, "counter|t:b", window, 10));

    assertThat(page.events()).extracting(e -> e.seq()).containsExactly(2L, 3L, 4L);
  }

  @Test
  void foldsStateAsOfASequenceNumberOrATime() throws Exception {
    store("counter|t:c", 4);

    assertThat(await(streams.stateAtSeq(MODEL, "counter|t:c", 3)).state().asInt()).isEqualTo(6);
    assertThat(await(streams.stateAtTime(MODEL, "counter|t:c", T0.plusSeconds(90))).seq()).isEqualTo(2);
    assertThat(await(streams.stateAtTime(MODEL, "counter|t:c", T0.minusSeconds(1))).seq()).isZero();
  }

  @Test
  void refusesRangesThatRetentionRemovedAndNamesTheFirstKeptSeq() throws Exception {
    store("counter|t:d", 3);
    journal.clearByIdPreservingSeqNumbers("counter|t:d");
    journal.persistForRecovery(
        "counter|t:d", List.of(new Added(new AuditRecord("p", "t", "r", "n", T0.plusSeconds(600)), 4)));

    assertThatThrownBy(() -> await(streams.page(MODEL, "counter|t:d", AuditRange.ALL, 10)))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            HistoryTrimmedException.class, e -> assertThat(e.firstAvailableSeq()).isEqualTo(4));
    var kept = await(streams.page(MODEL, "counter|t:d", new AuditRange(4, Long.MAX_VALUE, null, null), 10));
    assertThat(kept.events()).extracting(e -> e.seq()).containsExactly(4L);
  }

  @Test
  void followsFromAStartingPointAndStopsAtToSeq() throws Exception {
    store("counter|t:e", 6);

    var source = await(streams.follow(MODEL, "counter|t:e", new AuditRange(2, 4, null, null)));
    var seqs = await(source.map(e -> e.seq()).runWith(Sink.seq(), testKit.system()));

    assertThat(seqs).containsExactly(2L, 3L, 4L);
  }

  @Test
  void boundsConcurrentRebuilds() {
    store("counter|t:f", 3);
    // The test kit's config allows one rebuild at a time; the second is refused at once.
    CompletableFuture<StateAt> first = streams.stateAtSeq(MODEL, "counter|t:f", 3).toCompletableFuture();
    CompletableFuture<StateAt> second = streams.stateAtSeq(MODEL, "counter|t:f", 3).toCompletableFuture();

    if (!first.isDone()) {
      assertThat(second).isCompletedExceptionally();
      assertThatThrownBy(second::join).hasCauseInstanceOf(RebuildLimitException.class);
    }
    assertThat(first.join().seq()).isEqualTo(3);
  }
}
