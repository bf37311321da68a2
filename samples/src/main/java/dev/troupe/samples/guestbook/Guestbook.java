package dev.troupe.samples.guestbook;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A sample application entity: a guestbook that visitors sign and its owner can close. It is
 * built exactly like Troupe's own capabilities (see docs/architecture.md, "The entity pattern"),
 * and every signature is audited: {@code GET /audit/guestbook/{id}/events}.
 */
public final class Guestbook extends TroupeEntity<Guestbook.Command, Guestbook.Event, Guestbook.State> {

  /** Longest message a visitor may leave. */
  public static final int MAX_MESSAGE_LENGTH = 500;

  /** Most entries one guestbook keeps; a full book refuses more (bounded state). */
  public static final int MAX_ENTRIES = 1000;

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "guestbook");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("guestbook", Event.class, State.EMPTY, Guestbook::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  /** What a guestbook accepts. */
  public sealed interface Command extends TroupeSerializable {}

  /** Leave a message. Refused once the book is closed or full. */
  public record Sign(RequestContext context, String message, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  /** Close the book: no more signatures. */
  public record Close(RequestContext context, ActorRef<StatusReply<Summary>> replyTo)
      implements Command {}

  /** Read the book. */
  public record Read(ActorRef<StatusReply<Summary>> replyTo) implements Command {}

  /** What happened to a guestbook. */
  public sealed interface Event extends AuditedEvent {}

  public record Signed(AuditRecord audit, String message) implements Event {}

  public record Closed(AuditRecord audit) implements Event {}

  /** One entry as kept in the state. */
  public record Entry(String author, String message) implements TroupeSerializable {}

  /** The book; also its snapshot. */
  public record State(List<Entry> entries, boolean closed) implements TroupeSerializable {
    public static final State EMPTY = new State(List.of(), false);
  }

  /** The reply: an immutable view of the book. */
  public record Summary(List<Entry> entries, boolean closed) implements TroupeSerializable {}

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new Guestbook(context.getSystem(), entityId));
  }

  private Guestbook(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
  }

  static State apply(State state, Event event) {
    if (event instanceof Signed signed) {
      List<Entry> entries = new ArrayList<>(state.entries());
      entries.add(new Entry(signed.audit().principal(), signed.message()));
      return new State(List.copyOf(entries), state.closed());
    }
    if (event instanceof Closed) {
      return new State(state.entries(), true);
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Sign.class, this::onSign)
        .onCommand(Close.class, this::onClose)
        .onCommand(Read.class, (state, cmd) -> Effect().reply(cmd.replyTo(), summary(state)))
        .build();
  }

  private ReplyEffect<Event, State> onSign(State state, Sign cmd) {
    String message = cmd.message() == null ? "" : cmd.message().strip();
    if (message.isEmpty() || message.length() > MAX_MESSAGE_LENGTH) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error("message must be 1 to " + MAX_MESSAGE_LENGTH + " characters"));
    }
    if (state.closed()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("the guestbook is closed"));
    }
    if (state.entries().size() >= MAX_ENTRIES) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("the guestbook is full"));
    }
    return Effect()
        .persist(new Signed(audit(cmd.context()), message))
        .thenReply(cmd.replyTo(), Guestbook::summary);
  }

  private ReplyEffect<Event, State> onClose(State state, Close cmd) {
    if (state.closed()) {
      return Effect().reply(cmd.replyTo(), summary(state));
    }
    return Effect()
        .persist(new Closed(audit(cmd.context())))
        .thenReply(cmd.replyTo(), Guestbook::summary);
  }

  private static StatusReply<Summary> summary(State state) {
    return StatusReply.success(new Summary(state.entries(), state.closed()));
  }
}
