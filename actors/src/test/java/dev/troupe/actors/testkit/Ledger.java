package dev.troupe.actors.testkit;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.audit.Secret;
import dev.troupe.persistence.entity.EntityModel;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A small account ledger that proves the entity pattern in tests: audited events, a secret that
 * audit must redact, a rejected command, snapshots and recovery. It is test code on purpose: the
 * first real capabilities ship in later issues.
 */
public final class Ledger extends TroupeEntity<Ledger.Command, Ledger.Event, Ledger.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "ledger");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("ledger", Event.class, State.EMPTY, Ledger::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  /** What a ledger accepts. */
  public sealed interface Command extends TroupeSerializable {}

  /** Adds money. */
  public record Deposit(RequestContext context, long amount, ActorRef<StatusReply<Balance>> replyTo)
      implements Command {}

  /** Takes money out; refused when the balance would go below zero. */
  public record Withdraw(RequestContext context, long amount, ActorRef<StatusReply<Balance>> replyTo)
      implements Command {}

  /** Sets the hash of the account's PIN: a secret that audit never shows. */
  public record SetPin(RequestContext context, String pinHash, ActorRef<StatusReply<Balance>> replyTo)
      implements Command {}

  /** Reads the balance. */
  public record GetBalance(ActorRef<StatusReply<Balance>> replyTo) implements Command {}

  /** What happened to a ledger. */
  public sealed interface Event extends AuditedEvent {}

  public record Deposited(AuditRecord audit, long amount) implements Event {}

  public record Withdrawn(AuditRecord audit, long amount) implements Event {}

  public record PinSet(AuditRecord audit, @Secret String pinHash) implements Event {}

  /** The ledger's state; also its snapshot. */
  public record State(long balance, long entries, @Secret String pinHash)
      implements TroupeSerializable {
    public static final State EMPTY = new State(0, 0, "");
  }

  /** The reply to every command: an immutable view, never the state itself. */
  public record Balance(long balance, long entries) implements TroupeSerializable {}

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new Ledger(context.getSystem(), entityId));
  }

  private Ledger(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
  }

  static State apply(State state, Event event) {
    if (event instanceof Deposited deposited) {
      return new State(state.balance() + deposited.amount(), state.entries() + 1, state.pinHash());
    }
    if (event instanceof Withdrawn withdrawn) {
      return new State(state.balance() - withdrawn.amount(), state.entries() + 1, state.pinHash());
    }
    if (event instanceof PinSet pinSet) {
      return new State(state.balance(), state.entries(), pinSet.pinHash());
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Deposit.class, this::onDeposit)
        .onCommand(Withdraw.class, this::onWithdraw)
        .onCommand(SetPin.class, this::onSetPin)
        .onCommand(GetBalance.class, (state, cmd) -> Effect().reply(cmd.replyTo(), ok(state)))
        .build();
  }

  private ReplyEffect<Event, State> onDeposit(State state, Deposit cmd) {
    if (cmd.amount() <= 0) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("amount must be positive"));
    }
    return Effect()
        .persist(new Deposited(audit(cmd.context()), cmd.amount()))
        .thenReply(cmd.replyTo(), Ledger::ok);
  }

  private ReplyEffect<Event, State> onWithdraw(State state, Withdraw cmd) {
    if (cmd.amount() <= 0 || cmd.amount() > state.balance()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("insufficient funds"));
    }
    return Effect()
        .persist(new Withdrawn(audit(cmd.context()), cmd.amount()))
        .thenReply(cmd.replyTo(), Ledger::ok);
  }

  private ReplyEffect<Event, State> onSetPin(State state, SetPin cmd) {
    return Effect()
        .persist(new PinSet(audit(cmd.context()), cmd.pinHash()))
        .thenReply(cmd.replyTo(), Ledger::ok);
  }

  private static StatusReply<Balance> ok(State state) {
    return StatusReply.success(new Balance(state.balance(), state.entries()));
  }
}
