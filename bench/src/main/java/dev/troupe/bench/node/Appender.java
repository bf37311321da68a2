package dev.troupe.bench.node;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The bench's entity (type {@code bench}): every command appends small events and replies once
 * they are persisted. It is built exactly like a Troupe capability ({@link TroupeEntity}: audited
 * events, snapshots every {@code troupe.entities.types.bench.snapshot-every} events, tags,
 * restart with backoff), so what the bench measures is the platform's own write and recovery path.
 *
 * <p>It also measures its own recovery: the time from its creation to {@link RecoveryCompleted},
 * which {@link Get} reports. Bench code only: never loaded by a node unless named as extension.
 */
public final class Appender extends TroupeEntity<Appender.Command, Appender.Event, Appender.State> {

  /** Most events one {@link AppendMany} may write in one atomic write. */
  public static final int MAX_BATCH = 10_000;

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "bench");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("bench", Event.class, State.EMPTY, Appender::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  /** What the bench entity accepts. */
  public sealed interface Command extends TroupeSerializable {}

  /** Persists one event carrying {@code payload}. */
  public record Append(RequestContext context, String payload, ActorRef<StatusReply<Status>> replyTo)
      implements Command {}

  /** Persists {@code count} events carrying {@code payload} in one atomic write (bulk loading). */
  public record AppendMany(
      RequestContext context, String payload, int count, ActorRef<StatusReply<Status>> replyTo)
      implements Command {}

  /** Reads the counters (and so triggers recovery of a passivated or never-started entity). */
  public record Get(ActorRef<StatusReply<Status>> replyTo) implements Command {}

  /** What happened to a bench entity. */
  public sealed interface Event extends AuditedEvent {}

  /** One appended event: the audit record plus the client's payload (about 100 bytes). */
  public record Appended(AuditRecord audit, String payload) implements Event {}

  /** The state, also the snapshot: how many events and payload characters the entity holds. */
  public record State(long events, long payloadChars) implements TroupeSerializable {
    public static final State EMPTY = new State(0, 0);
  }

  /**
   * The reply to every command.
   *
   * @param events events the entity holds
   * @param recoveryMicros how long this incarnation's recovery took (creation to recovery
   *     completed), -1 while it is still recovering
   */
  public record Status(long events, long recoveryMicros) implements TroupeSerializable {}

  private final long createdNanos = System.nanoTime();
  private long recoveryMicros = -1;

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new Appender(context.getSystem(), entityId));
  }

  private Appender(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
  }

  static State apply(State state, Event event) {
    if (event instanceof Appended appended) {
      return new State(state.events() + 1, state.payloadChars() + appended.payload().length());
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> recoveryMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - createdNanos))
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Append.class, this::onAppend)
        .onCommand(AppendMany.class, this::onAppendMany)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), status(state)))
        .build();
  }

  private ReplyEffect<Event, State> onAppend(State state, Append cmd) {
    return Effect()
        .persist(new Appended(audit(cmd.context()), cmd.payload()))
        .thenReply(cmd.replyTo(), this::status);
  }

  private ReplyEffect<Event, State> onAppendMany(State state, AppendMany cmd) {
    if (cmd.count() < 1 || cmd.count() > MAX_BATCH) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("count must be 1 to " + MAX_BATCH));
    }
    AuditRecord audit = audit(cmd.context());
    List<Event> events = new ArrayList<>(cmd.count());
    for (int i = 0; i < cmd.count(); i++) {
      events.add(new Appended(audit, cmd.payload()));
    }
    return Effect().persist(events).thenReply(cmd.replyTo(), this::status);
  }

  private StatusReply<Status> status(State state) {
    return StatusReply.success(new Status(state.events(), recoveryMicros));
  }
}
