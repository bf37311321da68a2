package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The API keys of one project (scoped id {@code <org>:<project>}): created, used, revoked, each
 * event audited in the org. A revoked key stays listed with its time until a later create drops it
 * ({@link Pruned}): once revoked longer than the retention, or when more than the most revoked keys
 * kept are listed (the oldest first). So the state holds at most {@code maxKeys + maxRevokedKept}
 * keys, however often keys are created and revoked.
 *
 * <p>Refusals are {@link StatusReply#error} messages starting with {@code "not found: "}, {@code
 * "conflict: "} or {@code "limit: "}.
 */
public final class ProjectKeys
    extends TroupeEntity<ProjectKeys.Command, ProjectKeys.Event, ProjectKeys.State> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "api-keys");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("api-keys", Event.class, State.EMPTY, ProjectKeys::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  // ---------------------------------------------------------------- protocol

  public sealed interface Command extends TroupeSerializable {}

  /**
   * Adds a key, refused when the project already holds {@code limits.maxKeys} keys not revoked;
   * drops revoked keys beyond the limits first.
   */
  public record Create(RequestContext context, StoredKey key, Limits limits, ActorRef<StatusReply<StoredKey>> replyTo)
      implements Command {}

  /**
   * @param maxKeys most keys not revoked
   * @param revokedRetention how long a revoked key stays listed
   * @param maxRevokedKept most revoked keys listed
   */
  public record Limits(int maxKeys, Duration revokedRetention, int maxRevokedKept) implements TroupeSerializable {}

  /** Every key of the project, oldest first. */
  public record ListKeys(ActorRef<KeyList> replyTo) implements Command {}

  /** One key, for verifying a presented key. */
  public record Lookup(String keyId, ActorRef<Found> replyTo) implements Command {}

  /** Revokes a key; idempotent (a revoked key answers as it is). */
  public record Revoke(RequestContext context, String keyId, Instant now, ActorRef<StatusReply<StoredKey>> replyTo)
      implements Command {}

  /** The key was used at {@code now}: written when its last use is older than {@code interval}. */
  public record Touch(String keyId, Instant now, Duration interval) implements Command {}

  public record KeyList(List<StoredKey> keys) implements TroupeSerializable {
    public KeyList {
      keys = List.copyOf(keys);
    }
  }

  /** The key, or null when the project has no key with that id. */
  public record Found(StoredKey key) implements TroupeSerializable {}

  // ---------------------------------------------------------------- events

  public sealed interface Event extends AuditedEvent {}

  public record Created(AuditRecord audit, StoredKey key) implements Event {}

  public record Revoked(AuditRecord audit, String keyId, Instant at) implements Event {}

  public record Used(AuditRecord audit, String keyId, Instant at) implements Event {}

  /** Revoked keys dropped from the listing (their events stay in the journal). */
  public record Pruned(AuditRecord audit, List<String> keyIds) implements Event {
    public Pruned {
      keyIds = List.copyOf(keyIds);
    }
  }

  // ---------------------------------------------------------------- state

  /** The project's keys, oldest first. */
  public record State(List<StoredKey> keys) implements TroupeSerializable {
    public static final State EMPTY = new State(List.of());

    public State {
      keys = keys == null ? List.of() : List.copyOf(keys);
    }

    Optional<StoredKey> key(String id) {
      return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    long active() {
      return keys.stream().filter(k -> !k.revoked()).count();
    }

    /** The revoked keys to drop before adding one at {@code now}: oldest revocations first. */
    List<String> prunable(Instant now, Limits limits) {
      List<StoredKey> revoked =
          keys.stream().filter(StoredKey::revoked).sorted(Comparator.comparing(StoredKey::revokedAt)).toList();
      Instant cutoff = now.minus(limits.revokedRetention());
      List<String> drop = new ArrayList<>();
      int kept = revoked.size();
      for (StoredKey key : revoked) {
        if (key.revokedAt().isBefore(cutoff) || kept > limits.maxRevokedKept()) {
          drop.add(key.id());
          kept--;
        }
      }
      return drop;
    }

    State without(List<String> ids) {
      return new State(keys.stream().filter(k -> !ids.contains(k.id())).toList());
    }

    State with(StoredKey key) {
      List<StoredKey> next = new ArrayList<>(keys.size() + 1);
      boolean replaced = false;
      for (StoredKey k : keys) {
        if (k.id().equals(key.id())) {
          next.add(key);
          replaced = true;
        } else {
          next.add(k);
        }
      }
      if (!replaced) {
        next.add(key);
      }
      return new State(next);
    }
  }

  static State apply(State state, Event event) {
    if (event instanceof Created created) {
      return state.with(created.key());
    }
    if (event instanceof Revoked revoked) {
      return state.key(revoked.keyId()).map(k -> state.with(k.revokedAt(revoked.at()))).orElse(state);
    }
    if (event instanceof Used used) {
      return state.key(used.keyId()).map(k -> state.with(k.used(used.at()))).orElse(state);
    }
    if (event instanceof Pruned pruned) {
      return state.without(pruned.keyIds());
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  // ---------------------------------------------------------------- behaviour

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new ProjectKeys(context.getSystem(), entityId));
  }

  private ProjectKeys(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(ListKeys.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new KeyList(state.keys())))
        .onCommand(Lookup.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Found(state.key(cmd.keyId()).orElse(null))))
        .onCommand(Revoke.class, this::onRevoke)
        .onCommand(Touch.class, this::onTouch)
        .build();
  }

  private ReplyEffect<Event, State> onCreate(State state, Create cmd) {
    if (state.key(cmd.key().id()).isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: api key id already exists"));
    }
    int maxKeys = cmd.limits().maxKeys();
    if (state.active() >= maxKeys) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("limit: the project already has " + maxKeys + " api keys"));
    }
    AuditRecord audit = audit(cmd.context());
    List<String> prunable = state.prunable(cmd.key().createdAt(), cmd.limits());
    List<Event> events =
        prunable.isEmpty()
            ? List.of(new Created(audit, cmd.key()))
            : List.of(new Pruned(audit, prunable), new Created(audit, cmd.key()));
    return Effect()
        .persist(events)
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.key(cmd.key().id()).orElseThrow()));
  }

  private ReplyEffect<Event, State> onRevoke(State state, Revoke cmd) {
    Optional<StoredKey> key = state.key(cmd.keyId());
    if (key.isEmpty()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: api key"));
    }
    if (key.get().revoked()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(key.get()));
    }
    return Effect()
        .persist(new Revoked(audit(cmd.context()), cmd.keyId(), cmd.now()))
        .thenReply(cmd.replyTo(), s -> StatusReply.success(s.key(cmd.keyId()).orElseThrow()));
  }

  private ReplyEffect<Event, State> onTouch(State state, Touch cmd) {
    Optional<StoredKey> key = state.key(cmd.keyId());
    if (key.isEmpty() || key.get().revoked()) {
      return Effect().noReply();
    }
    Instant last = key.get().lastUsedAt();
    if (last != null && Duration.between(last, cmd.now()).compareTo(cmd.interval()) < 0) {
      return Effect().noReply();
    }
    RequestContext context = new RequestContext("touch", "key-" + cmd.keyId(), tenant());
    return Effect().persist(new Used(audit(context), cmd.keyId(), cmd.now())).thenNoReply();
  }
}
