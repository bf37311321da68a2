package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.actors.identity.Names;
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
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The cluster's secret for key id MACs (see {@link ApiKeyFormat}): one entity ({@code
 * api-key-secret}, id {@code system:ids}) that keeps the first candidate a node offers and
 * answers it to every node ever after, so all nodes check ids with the same secret and it
 * survives restarts. It never changes: changing it would void every key.
 */
public final class KeyIdSecret
    extends TroupeEntity<KeyIdSecret.Command, KeyIdSecret.Event, KeyIdSecret.State> {

  /** The tenant and id of the one entity. */
  public static final String TENANT = Names.SYSTEM_ORG;

  public static final String ID = "ids";

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "api-key-secret");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("api-key-secret", Event.class, State.EMPTY, KeyIdSecret::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  public sealed interface Command extends TroupeSerializable {}

  /** The secret (base64), made {@code candidate} if there is none yet. */
  public record Get(RequestContext context, @Secret String candidate, ActorRef<Answer> replyTo) implements Command {
    @Override
    public String toString() {
      return "Get[context=" + context + ", candidate=[redacted]]";
    }
  }

  /** The secret, base64. */
  public record Answer(@Secret String secret) implements TroupeSerializable {
    @Override
    public String toString() {
      return "Answer[secret=[redacted]]";
    }
  }

  public sealed interface Event extends AuditedEvent {}

  public record SecretCreated(AuditRecord audit, @Secret String secret) implements Event {
    @Override
    public String toString() {
      return "SecretCreated[audit=" + audit + ", secret=[redacted]]";
    }
  }

  /** The secret, base64; null until created. */
  public record State(@Secret String secret) implements TroupeSerializable {
    public static final State EMPTY = new State(null);

    @Override
    public String toString() {
      return "State[secret=" + (secret == null ? "none" : "[redacted]") + "]";
    }
  }

  static State apply(State state, Event event) {
    if (event instanceof SecretCreated created) {
      return state.secret() == null ? new State(created.secret()) : state;
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new KeyIdSecret(context.getSystem(), entityId));
  }

  private KeyIdSecret(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Get.class, this::onGet).build();
  }

  private ReplyEffect<Event, State> onGet(State state, Get cmd) {
    if (state.secret() != null) {
      return Effect().reply(cmd.replyTo(), new Answer(state.secret()));
    }
    return Effect()
        .persist(new SecretCreated(audit(cmd.context()), cmd.candidate()))
        .thenReply(cmd.replyTo(), s -> new Answer(s.secret()));
  }
}
