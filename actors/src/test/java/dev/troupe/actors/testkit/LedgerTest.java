package dev.troupe.actors.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.audit.RequestContext;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The entity pattern, unit-tested through the test ledger with Pekko's persistence test kit. */
class LedgerTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "troupe.entities.types.ledger.snapshot-every = 3\n"
                      + "troupe.node-name = unit-node\n"
                      + "pekko.actor.provider = local")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));

  private static final RequestContext ALICE = new RequestContext("req-1", "alice", "acme");
  private static final String ID = "acme:acct-1";

  private final EventSourcedBehaviorTestKit<Ledger.Command, Ledger.Event, Ledger.State> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Ledger.create(ID));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  @Test
  void depositPersistsAnAuditedEventAndReplies() {
    var result =
        kit.<StatusReply<Ledger.Balance>>runCommand(
            replyTo -> new Ledger.Deposit(ALICE, 50, replyTo));

    assertThat(result.reply().getValue()).isEqualTo(new Ledger.Balance(50, 1));
    Ledger.Deposited event = result.eventOfType(Ledger.Deposited.class);
    assertThat(event.amount()).isEqualTo(50);
    assertThat(event.audit().principal()).isEqualTo("alice");
    assertThat(event.audit().tenant()).isEqualTo("acme");
    assertThat(event.audit().requestId()).isEqualTo("req-1");
    assertThat(event.audit().node()).isEqualTo("unit-node");
    assertThat(event.audit().timestamp()).isNotNull();
  }

  @Test
  void rejectsOverdraftWithoutPersisting() {
    kit.<StatusReply<Ledger.Balance>>runCommand(replyTo -> new Ledger.Deposit(ALICE, 10, replyTo));

    var result =
        kit.<StatusReply<Ledger.Balance>>runCommand(
            replyTo -> new Ledger.Withdraw(ALICE, 11, replyTo));

    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(kit.getState().balance()).isEqualTo(10);
  }

  @Test
  void rejectsNonPositiveDeposit() {
    var result =
        kit.<StatusReply<Ledger.Balance>>runCommand(
            replyTo -> new Ledger.Deposit(ALICE, 0, replyTo));

    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void recoversItsStateAfterRestart() {
    kit.<StatusReply<Ledger.Balance>>runCommand(replyTo -> new Ledger.Deposit(ALICE, 30, replyTo));
    kit.<StatusReply<Ledger.Balance>>runCommand(replyTo -> new Ledger.Withdraw(ALICE, 5, replyTo));

    var restarted = kit.restart();

    assertThat(restarted.state()).isEqualTo(new Ledger.State(25, 2, ""));
  }

  @Test
  void snapshotsEveryConfiguredNumberOfEventsAndRecoversFromTheSnapshot() {
    kit.<StatusReply<Ledger.Balance>>runCommand(replyTo -> new Ledger.Deposit(ALICE, 1, replyTo));
    kit.<StatusReply<Ledger.Balance>>runCommand(replyTo -> new Ledger.Deposit(ALICE, 2, replyTo));
    kit.<StatusReply<Ledger.Balance>>runCommand(replyTo -> new Ledger.SetPin(ALICE, "hash", replyTo));
    String pid = "ledger|" + ID;
    kit.snapshotTestKit().orElseThrow().expectNextPersisted(pid, new Ledger.State(3, 2, "hash"));

    // With the events gone (sequence numbers kept), only the snapshot can give the state back.
    kit.persistenceTestKit().clearByIdPreservingSeqNumbers(pid);
    var restarted = kit.restart();

    assertThat(restarted.state()).isEqualTo(new Ledger.State(3, 2, "hash"));
  }

  @Test
  void modelFoldGivesTheSameStateAsTheEntity() {
    kit.<StatusReply<Ledger.Balance>>runCommand(replyTo -> new Ledger.Deposit(ALICE, 7, replyTo));
    kit.<StatusReply<Ledger.Balance>>runCommand(replyTo -> new Ledger.Withdraw(ALICE, 2, replyTo));

    Ledger.State folded = Ledger.MODEL.emptyState();
    for (Object event : kit.persistenceTestKit().<Object>persistedInStorage("ledger|" + ID)) {
      folded = Ledger.MODEL.applyUntyped(folded, event);
    }

    assertThat(folded).isEqualTo(kit.getState());
  }
}
