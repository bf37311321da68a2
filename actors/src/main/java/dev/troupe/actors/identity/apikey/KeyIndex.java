package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityModel;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * Where a key lives: one entity per key id (scoped {@code system:<id>}, since a presented key
 * names no org) holding the key's org and project, so a key is found with two asks and no scan.
 * Written once, when the key is created.
 */
public final class KeyIndex extends TroupeEntity<KeyIndex.Command, KeyIndex.Event, KeyIndex.State> {

  /** The tenant index entries live in (a key names no org; {@code system} is reserved). */
  public static final String TENANT = "system";

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "api-key-index");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("api-key-index", Event.class, State.EMPTY, KeyIndex::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  public sealed interface Command extends TroupeSerializable {}

  /** Records the key's place; refused as a conflict when the id already names another key. */
  public record Register(RequestContext context, String org, String project, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** The key's place (an empty state when the id names no key). */
  public record Locate(ActorRef<State> replyTo) implements Command {}

  public sealed interface Event extends AuditedEvent {}

  public record Registered(AuditRecord audit, String org, String project) implements Event {}

  /** Where the key lives; both null when unknown. */
  public record State(String org, String project) implements TroupeSerializable {
    public static final State EMPTY = new State(null, null);

    public boolean exists() {
      return org != null;
    }
  }

  static State apply(State state, Event event) {
    if (event instanceof Registered registered) {
      return new State(registered.org(), registered.project());
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new KeyIndex(context.getSystem(), entityId));
  }

  private KeyIndex(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Register.class, this::onRegister)
        .onCommand(Locate.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  private ReplyEffect<Event, State> onRegister(State state, Register cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: api key id already exists"));
    }
    return Effect()
        .persist(new Registered(audit(cmd.context()), cmd.org(), cmd.project()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(Done.getInstance()));
  }
}
