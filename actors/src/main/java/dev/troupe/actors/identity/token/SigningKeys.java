package dev.troupe.actors.identity.token;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.actors.identity.Names;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.audit.Secret;
import dev.troupe.persistence.entity.EntityModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The cluster's token signing keys: one entity ({@code signing-keys}, id {@code system:jwt}) that
 * decides which key is current, so every node signs with the same key and verifies with all keys
 * still kept.
 *
 * <p>Keys are generated outside the entity ({@link KeyGenerator} on the crypto dispatcher); the
 * entity only decides, atomically, whether a candidate is installed: when forced, when there is
 * no current key, or when the current key is older than the rotation interval. Installing retires
 * the previous key, and keys retired longer than the retention (token lifetime plus clock skew)
 * are dropped.
 */
public final class SigningKeys
    extends TroupeEntity<SigningKeys.Command, SigningKeys.Event, SigningKeys.State> {

  /** The tenant and id of the one signing-keys entity. */
  public static final String TENANT = Names.SYSTEM_ORG;

  public static final String ID = "jwt";

  /** Most keys kept at once; a forced rotation that would exceed it is ignored. */
  public static final int MAX_KEYS = 16;

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "signing-keys");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("signing-keys", Event.class, State.EMPTY, SigningKeys::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  /** What the signing-keys entity accepts. */
  public sealed interface Command extends TroupeSerializable {}

  /** Read the keys. */
  public record GetKeys(ActorRef<KeySet> replyTo) implements Command {}

  /**
   * Install a freshly generated key if due (or forced), and drop keys retired longer than {@code
   * retainRetired}. A null candidate only drops. Always replies with the resulting keys.
   */
  public record Install(
      RequestContext context,
      KeyEntry candidate,
      Instant now,
      Duration rotateAfter,
      Duration retainRetired,
      boolean force,
      ActorRef<KeySet> replyTo)
      implements Command {}

  /** What happened to the keys. */
  public sealed interface Event extends AuditedEvent {}

  /** A key became current. */
  public record KeyAdded(
      AuditRecord audit,
      String kid,
      String algorithm,
      @Secret String privateJwk,
      String publicJwk,
      Instant at)
      implements Event {

    /** Never shows the private key. */
    @Override
    public String toString() {
      return "KeyAdded[audit=" + audit + ", kid=" + kid + ", algorithm=" + algorithm + ", at=" + at
          + "]";
    }
  }

  /** A key stopped signing; it still verifies until dropped. */
  public record KeyRetired(AuditRecord audit, String kid, Instant at) implements Event {}

  /** A retired key is gone: tokens it signed no longer verify. */
  public record KeyDropped(AuditRecord audit, String kid) implements Event {}

  /** The keys, oldest first; also the snapshot. */
  public record State(List<KeyEntry> keys) implements TroupeSerializable {
    public static final State EMPTY = new State(List.of());

    public State {
      keys = List.copyOf(keys);
    }

    /** The newest key that is not retired. */
    public Optional<KeyEntry> current() {
      return new KeySet(keys).current();
    }
  }

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new SigningKeys(context.getSystem(), entityId));
  }

  private SigningKeys(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
  }

  static State apply(State state, Event event) {
    List<KeyEntry> keys = new ArrayList<>(state.keys());
    if (event instanceof KeyAdded added) {
      keys.add(
          new KeyEntry(
              added.kid(), added.algorithm(), added.privateJwk(), added.publicJwk(), added.at(),
              null));
    } else if (event instanceof KeyRetired retired) {
      keys.replaceAll(k -> k.kid().equals(retired.kid()) ? k.retire(retired.at()) : k);
    } else if (event instanceof KeyDropped dropped) {
      keys.removeIf(k -> k.kid().equals(dropped.kid()));
    } else {
      throw new IllegalArgumentException("unknown event " + event.getClass());
    }
    return new State(keys);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(GetKeys.class, (state, cmd) -> Effect().reply(cmd.replyTo(), keySet(state)))
        .onCommand(Install.class, this::onInstall)
        .build();
  }

  private ReplyEffect<Event, State> onInstall(State state, Install cmd) {
    List<Event> events = new ArrayList<>();
    int kept = 0;
    for (KeyEntry key : state.keys()) {
      if (key.retired() && !key.retiredAt().plus(cmd.retainRetired()).isAfter(cmd.now())) {
        events.add(new KeyDropped(audit(cmd.context()), key.kid()));
      } else {
        kept++;
      }
    }
    Optional<KeyEntry> current = state.current();
    boolean due =
        cmd.force()
            || current.isEmpty()
            || !current.get().createdAt().plus(cmd.rotateAfter()).isAfter(cmd.now());
    if (due && acceptable(state, cmd.candidate()) && kept < MAX_KEYS) {
      current.ifPresent(k -> events.add(new KeyRetired(audit(cmd.context()), k.kid(), cmd.now())));
      KeyEntry c = cmd.candidate();
      events.add(
          new KeyAdded(
              audit(cmd.context()), c.kid(), c.algorithm(), c.privateJwk(), c.publicJwk(),
              cmd.now()));
    }
    if (events.isEmpty()) {
      return Effect().reply(cmd.replyTo(), keySet(state));
    }
    return Effect().persist(events).thenReply(cmd.replyTo(), SigningKeys::keySet);
  }

  private static boolean acceptable(State state, KeyEntry candidate) {
    return candidate != null
        && TokenSettings.ALGORITHMS.contains(candidate.algorithm())
        && candidate.kid().length() <= 64
        && candidate.privateJwk().length() <= 16_384
        && candidate.publicJwk().length() <= 16_384
        && state.keys().stream().noneMatch(k -> k.kid().equals(candidate.kid()));
  }

  private static KeySet keySet(State state) {
    return new KeySet(state.keys());
  }
}
