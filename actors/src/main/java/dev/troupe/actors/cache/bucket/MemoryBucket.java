package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import dev.troupe.persistence.audit.Auditor;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * A cache bucket of a namespace that is not durable ({@code cache-memory-bucket}, id {@code
 * <tenant>:<namespace>~<n>}): the same decisions as {@link CacheBucket} ({@link BucketRuntime}),
 * its events applied in memory, never journaled and so never audited.
 *
 * <p>Every change is written to Distributed Data ({@link MemoryReplica}, {@code WriteLocal}, spread
 * by gossip). On start the bucket reads its entries back ({@code ReadMajority}, falling back to
 * {@code ReadLocal}) and stashes commands until then, so entries survive passivation, a rebalance
 * and the loss of a node while another node has them. They do not survive a restart of the whole
 * cluster. A starting bucket adopts the replica as it reads it; a flush or an invalidation also
 * removes matching entries that reached the replica by gossip after that read (so they do not
 * come back at the next start). Read timeout and stash size: {@link MemorySettings}.
 */
public final class MemoryBucket {

  public static final String TYPE = "cache-memory-bucket";

  public static final EntityTypeKey<BucketCommand> TYPE_KEY =
      EntityTypeKey.create(BucketCommand.class, TYPE);

  private record Loaded(Replicator.GetResponse<LWWMap<String, Entry>> response, boolean majority) {}

  private record Written(Replicator.UpdateResponse<LWWMap<String, Entry>> response) {}

  private final ActorContext<Object> context;
  private final ReplicatorMessageAdapter<Object, LWWMap<String, Entry>> replicator;
  private final StashBuffer<Object> stash;
  private final SelfUniqueAddress self;
  private final Key<LWWMap<String, Entry>> key;
  private final BucketRuntime runtime;
  private final Duration readTimeout;
  private BucketState state = BucketState.EMPTY;

  /** The sharded entity type, its buckets created with the given environment. */
  public static Entity<BucketCommand, ShardingEnvelope<BucketCommand>> entity(BucketEnv env) {
    return Entity.of(TYPE_KEY, context -> create(env, context.getEntityId()));
  }

  /**
   * The behaviour of the bucket with the given tenant-scoped id. Its replica read timeout and
   * stash size are {@code troupe.cache.memory} of the system's config ({@link MemorySettings}).
   */
  public static Behavior<BucketCommand> create(BucketEnv env, String entityId) {
    Behavior<Object> behavior =
        Behaviors.setup(
            context -> {
              MemorySettings settings =
                  MemorySettings.fromConfig(context.getSystem().settings().config());
              return Behaviors.withStash(
                  settings.stashSize(),
                  stash ->
                      Behaviors.withTimers(
                          timers ->
                              DistributedData.<Object, LWWMap<String, Entry>>
                                  withReplicatorMessageAdapter(
                                      replicator ->
                                          new MemoryBucket(
                                                  context, replicator, stash, timers, env,
                                                  settings.readTimeout(), entityId)
                                              .load())));
            });
    return behavior.narrow();
  }

  private MemoryBucket(
      ActorContext<Object> context,
      ReplicatorMessageAdapter<Object, LWWMap<String, Entry>> replicator,
      StashBuffer<Object> stash,
      TimerScheduler<Object> timers,
      BucketEnv env,
      Duration readTimeout,
      String entityId) {
    this.context = context;
    this.readTimeout = readTimeout;
    this.replicator = replicator;
    this.stash = stash;
    this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
    this.key = MemoryReplica.key(entityId);
    Auditor auditor = Auditor.get(context.getSystem());
    this.runtime = new BucketRuntime(TYPE, entityId, env, auditor::record, timers, context.getLog());
  }

  private Behavior<Object> load() {
    read(new Replicator.ReadMajority(readTimeout), true);
    return Behaviors.receive(Object.class)
        .onMessage(Loaded.class, this::onLoaded)
        .onMessage(BucketCommand.class, this::stashWhileLoading)
        .build();
  }

  private void read(Replicator.ReadConsistency consistency, boolean majority) {
    replicator.askGet(
        replyTo -> new Replicator.Get<>(key, consistency, replyTo),
        response -> new Loaded(response, majority));
  }

  private Behavior<Object> onLoaded(Loaded msg) {
    if (msg.response() instanceof Replicator.GetSuccess<LWWMap<String, Entry>> success) {
      state = MemoryReplica.stateOf(success.get(key).getEntries());
    } else if (msg.response() instanceof Replicator.GetFailure && msg.majority()) {
      context.getLog().debug("No majority answered for {}; reading the local replica", key.id());
      read(Replicator.readLocal(), false);
      return Behaviors.same();
    } else if (!(msg.response() instanceof Replicator.NotFound)) {
      context.getLog().warn("Cache bucket {} starts empty: {}", key.id(), msg.response());
    }
    runtime.recovered(state);
    return stash.unstashAll(active());
  }

  private Behavior<Object> stashWhileLoading(BucketCommand command) {
    if (stash.isFull()) {
      context.getLog().warn("Cache bucket {} still loading; dropped {}", key.id(), command);
    } else {
      stash.stash(command);
    }
    return Behaviors.same();
  }

  private Behavior<Object> active() {
    return Behaviors.receive(Object.class)
        .onMessage(BucketCommand.class, this::onCommand)
        .onMessage(Written.class, this::onWritten)
        .onMessage(Loaded.class, msg -> Behaviors.same())
        .onSignal(PostStop.class, signal -> stopped())
        .build();
  }

  private Behavior<Object> stopped() {
    runtime.stopped();
    return Behaviors.same();
  }

  private Behavior<Object> onCommand(BucketCommand command) {
    BucketRuntime.Outcome outcome = runtime.handle(state, command);
    if (!outcome.events().isEmpty()) {
      for (BucketEvent event : outcome.events()) {
        state = state.apply(event);
      }
      replicate(outcome.events());
    }
    outcome.after().accept(state);
    if (outcome.reply() != null) {
      send(outcome.reply());
    }
    return Behaviors.same();
  }

  private void replicate(List<BucketEvent> events) {
    replicator.askUpdate(
        replyTo ->
            new Replicator.Update<>(
                key,
                LWWMap.create(),
                Replicator.writeLocal(),
                replyTo,
                map -> MemoryReplica.update(map, self, events)),
        Written::new);
  }

  private Behavior<Object> onWritten(Written msg) {
    if (!(msg.response() instanceof Replicator.UpdateSuccess)) {
      context.getLog().warn("Cache bucket {} not replicated: {}", key.id(), msg.response());
    }
    return Behaviors.same();
  }

  private static <R> void send(BucketRuntime.Reply<R> reply) {
    reply.to().tell(reply.message());
  }
}
