package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.persistence.entity.EntityModel;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A durable cache bucket ({@code cache-bucket}, id {@code <tenant>:<namespace>~<n>}): the keys of
 * one namespace whose hash falls in bucket n, event sourced so entries survive restarts and node
 * loss. Decisions are the {@link BucketDecider}'s; hits, misses and load leases are kept in memory
 * only ({@link BucketRuntime}); a restart after a journal failure recovers again and forgets the
 * leases. Reports its earliest expiry after recovery, when a store changes it, after every sweep,
 * and again when the last report is older than {@link BucketEnv#reportRefresh()}.
 */
public final class CacheBucket extends TroupeEntity<BucketCommand, BucketEvent, BucketState> {

  public static final String TYPE = "cache-bucket";

  public static final EntityTypeKey<BucketCommand> TYPE_KEY =
      EntityTypeKey.create(BucketCommand.class, TYPE);

  /** The bucket's fold; audit shows stored values by size only ({@link BucketViews}). */
  public static final EntityModel<BucketState, BucketEvent> MODEL =
      EntityModel.of(TYPE, BucketEvent.class, BucketState.EMPTY, BucketState::apply)
          .withViews(BucketViews::event, BucketViews::state);

  private final BucketRuntime runtime;

  /** The entity type, its buckets created with the given environment. */
  public static EntityKind<BucketCommand, BucketEvent, BucketState> kind(BucketEnv env) {
    return new EntityKind<>(TYPE_KEY, MODEL, context -> create(env, context.getEntityId()));
  }

  /** The behaviour of the bucket with the given tenant-scoped id. */
  public static Behavior<BucketCommand> create(BucketEnv env, String entityId) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(timers -> new CacheBucket(context, timers, env, entityId)));
  }

  private CacheBucket(
      ActorContext<BucketCommand> context,
      TimerScheduler<BucketCommand> timers,
      BucketEnv env,
      String entityId) {
    super(context.getSystem(), kind(env), entityId);
    this.runtime = new BucketRuntime(TYPE, entityId, env, this::audit, timers, context.getLog());
  }

  @Override
  public CommandHandlerWithReply<BucketCommand, BucketEvent, BucketState> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onAnyCommand(this::onCommand);
  }

  @Override
  public SignalHandler<BucketState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.class, (state, signal) -> runtime.recovered(state))
        .onSignal(PostStop.class, (state, signal) -> runtime.stopped())
        .build();
  }

  private ReplyEffect<BucketEvent, BucketState> onCommand(BucketState state, BucketCommand command) {
    BucketRuntime.Outcome outcome = runtime.handle(state, command);
    EffectBuilder<BucketEvent, BucketState> effect =
        outcome.events().isEmpty() ? Effect().none() : Effect().persist(outcome.events());
    effect = effect.thenRun(outcome.after()::accept);
    return outcome.reply() == null ? effect.thenNoReply() : reply(effect, outcome.reply());
  }

  private static <R> ReplyEffect<BucketEvent, BucketState> reply(
      EffectBuilder<BucketEvent, BucketState> effect, BucketRuntime.Reply<R> reply) {
    return effect.thenReply(reply.to(), state -> reply.message());
  }
}
