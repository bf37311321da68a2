package dev.troupe.actors.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.testkit.Ledger;
import dev.troupe.persistence.TroupeConfig;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.journal.AuditJournal;
import dev.troupe.persistence.journal.JournalSetup;
import dev.troupe.streams.audit.AuditStreams;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The persistence contract every journal Troupe runs on must keep, run against each (H2 files and
 * a real Cassandra): sharded entities persist audited events in order, recover after the whole
 * node restarts, snapshot and use snapshots, and the read side replays and follows them.
 */
abstract class JournalContract {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final RequestContext CONTEXT = new RequestContext("req-journal", "tester", "acme");

  private ActorSystem<Void> system;

  /** Settings that point the node at the journal under test (same store on every call). */
  protected abstract Config journalConfig();

  @AfterEach
  void stopNode() throws Exception {
    if (system != null) {
      terminate(system);
    }
  }

  @Test
  void persistsAuditedEventsInOrderAndReadsThemBack() {
    system = startNode();
    String id = uniqueId();
    deposit(system, id, 10);
    deposit(system, id, 20);
    withdraw(system, id, 5);

    List<EventEnvelope> events = currentEvents(system, id);

    assertThat(events).extracting(EventEnvelope::sequenceNr).containsExactly(1L, 2L, 3L);
    assertThat(events.get(0).event()).isInstanceOf(Ledger.Deposited.class);
    assertThat(events.get(2).event()).isInstanceOf(Ledger.Withdrawn.class);
    Ledger.Deposited first = (Ledger.Deposited) events.get(0).event();
    assertThat(first.amount()).isEqualTo(10);
    assertThat(first.audit().principal()).isEqualTo("tester");
    assertThat(first.audit().tenant()).isEqualTo("acme");
    assertThat(first.audit().requestId()).isEqualTo("req-journal");
    assertThat(first.audit().node()).isEqualTo(system.address().hostPort());
  }

  @Test
  void recoversEveryAcknowledgedEventAfterTheNodeRestarts() throws Exception {
    system = startNode();
    String id = uniqueId();
    for (int i = 1; i <= 5; i++) {
      deposit(system, id, i);
    }
    terminate(system);

    system = startNode();

    assertThat(balance(system, id)).isEqualTo(new Ledger.Balance(15, 5));
  }

  @Test
  void writesSnapshotsAndRecoversFromThem() throws Exception {
    Config snapshots = ConfigFactory.parseString("troupe.entities.types.ledger.snapshot-every = 3");
    system = startNode(snapshots);
    String id = uniqueId();
    for (int i = 1; i <= 7; i++) {
      deposit(system, id, 1);
    }

    SelectedSnapshot latest = latestSnapshot(system, id);
    assertThat(latest.metadata().sequenceNr()).isEqualTo(6);
    assertThat(latest.snapshot()).isEqualTo(new Ledger.State(6, 6, ""));
    terminate(system);

    system = startNode(snapshots);
    assertThat(balance(system, id)).isEqualTo(new Ledger.Balance(7, 7));
  }

  @Test
  void followsNewEventsLiveAfterReplayingStoredOnes() {
    system = startNode();
    String id = uniqueId();
    deposit(system, id, 1);
    TestProbe<Long> seen = TestProbe.create(system);
    new AuditJournal(system)
        .follow(persistenceId(id), 1)
        .runForeach(envelope -> seen.getRef().tell(envelope.sequenceNr()), system);
    seen.expectMessage(TIMEOUT, 1L);

    deposit(system, id, 2);

    seen.expectMessage(TIMEOUT, 2L);
  }

  @Test
  void rebuildsStateAsOfASequenceNumberWithTheEntityFold() throws Exception {
    system = startNode();
    String id = uniqueId();
    deposit(system, id, 10);
    deposit(system, id, 20);
    withdraw(system, id, 5);

    var state =
        new AuditStreams(system, new AuditRenderer())
            .stateAtSeq(Ledger.MODEL, persistenceId(id), 2)
            .toCompletableFuture()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(state.seq()).isEqualTo(2);
    assertThat(state.state().get("balance").asLong()).isEqualTo(30);
    assertThat(state.state().get("entries").asLong()).isEqualTo(2);
  }

  // --- a single-node cluster with the ledger, on the journal under test ---

  private ActorSystem<Void> startNode() {
    return startNode(ConfigFactory.empty());
  }

  private ActorSystem<Void> startNode(Config extra) {
    Config overrides =
        extra
            .withFallback(journalConfig())
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.coordinated-shutdown.exit-jvm", false)));
    ActorSystem<Void> node =
        ActorSystem.create(Behaviors.empty(), "troupe", TroupeConfig.load(overrides));
    JournalSetup.prepare(node, true, TIMEOUT);
    Cluster cluster = Cluster.get(node);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    Entities.init(node, Ledger.KIND);
    return node;
  }

  private static void terminate(ActorSystem<Void> node) throws Exception {
    node.terminate();
    node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static String uniqueId() {
    return "acct-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String persistenceId(String id) {
    return EntityIds.persistenceId("ledger", EntityIds.scoped("acme", id));
  }

  private static Ledger.Balance ask(ActorSystem<?> node, String id, java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.pattern.StatusReply<Ledger.Balance>>, Ledger.Command> command) {
    try {
      return Entities.ref(node, Ledger.KIND, "acme", id)
          .askWithStatus(command::apply, TIMEOUT)
          .toCompletableFuture()
          .get(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("ledger " + id + " did not answer", e);
    }
  }

  private static void deposit(ActorSystem<?> node, String id, long amount) {
    ask(node, id, replyTo -> new Ledger.Deposit(CONTEXT, amount, replyTo));
  }

  private static void withdraw(ActorSystem<?> node, String id, long amount) {
    ask(node, id, replyTo -> new Ledger.Withdraw(CONTEXT, amount, replyTo));
  }

  private static Ledger.Balance balance(ActorSystem<?> node, String id) {
    return ask(node, id, Ledger.GetBalance::new);
  }

  private static List<EventEnvelope> currentEvents(ActorSystem<?> node, String id) {
    try {
      return new AuditJournal(node)
          .current(persistenceId(id), 0, Long.MAX_VALUE)
          .runWith(Sink.seq(), node)
          .toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot read events of " + id, e);
    }
  }

  private static SelectedSnapshot latestSnapshot(ActorSystem<?> node, String id) {
    var classic = Adapter.toClassic(node);
    var store =
        Persistence.get(classic)
            .snapshotStoreFor(
                node.settings().config().getString("pekko.persistence.snapshot-store.plugin"),
                ConfigFactory.empty());
    var probe = new org.apache.pekko.testkit.TestProbe(classic);
    store.tell(
        new SnapshotProtocol.LoadSnapshot(
            persistenceId(id), SnapshotSelectionCriteria.latest(), Long.MAX_VALUE),
        probe.ref());
    var result =
        probe.expectMsgClass(
            scala.concurrent.duration.Duration.create(TIMEOUT.toSeconds(), TimeUnit.SECONDS),
            SnapshotProtocol.LoadSnapshotResult.class);
    assertThat(result.snapshot().isDefined()).as("a snapshot of %s exists", id).isTrue();
    return result.snapshot().get();
  }
}
