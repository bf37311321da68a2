package dev.troupe.actors.cache;

import dev.troupe.actors.cache.bucket.BucketCommand;
import dev.troupe.actors.cache.bucket.BucketEnv;
import dev.troupe.actors.cache.bucket.BucketLimits;
import dev.troupe.actors.cache.bucket.BucketReply;
import dev.troupe.actors.cache.bucket.CacheBucket;
import dev.troupe.actors.cache.bucket.LocalBuckets;
import dev.troupe.actors.cache.bucket.MemoryBucket;
import dev.troupe.actors.cache.sweep.CacheSchedule;
import dev.troupe.actors.cache.sweep.CacheSweeper;
import dev.troupe.actors.cache.sweep.ScheduleReporter;
import dev.troupe.actors.entity.Entities;
import dev.troupe.cluster.ShardedTypes;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The cluster-wide cache, for applications and the HTTP edge. Every method is scoped to the
 * tenant of the given {@link RequestContext} (who is also recorded in audit) and validates its
 * input first: a bad namespace, key, tag, ttl or size fails the stage with a {@link
 * CacheException} before any entity is asked. Stages fail with the {@link CacheException} itself
 * (not wrapped), so {@code handle}/{@code whenComplete} see it directly.
 *
 * <p>A namespace's keys are spread over {@code troupe.cache.buckets} bucket entities by {@code
 * floorMod(key.hashCode(), buckets)}; durable namespaces use {@code cache-bucket} (event sourced),
 * the others {@code cache-memory-bucket} (replicated memory). Flush, tag invalidation and stats ask
 * every bucket of the namespace and sum the answers. A bucket that does not answer within {@code
 * troupe.entities.ask-timeout} fails the stage with {@code UNAVAILABLE}.
 *
 * <p>{@link #getOrCompute} guarantees at most one load in flight per key while the load's holder
 * lives: the key's bucket grants one caller a lease and parks the others until it fills the key or
 * gives up; a holder silent for {@code lease-timeout} (its node died) is replaced by a waiter.
 * Loaders run on the caller's node, started on the actor system's default dispatcher (never on
 * a bucket's thread); they should not block (return a stage that completes later instead).
 * Returned stages complete on the thread that completes the bucket's answer (often the bucket
 * actor's): continuations attached to them must not block either.
 */
public final class Cache implements Extension {

  private static final Id ID = new Id();

  private final ActorSystem<?> system;
  private final CacheSettings settings;
  private final Map<String, NamespaceSettings> namespaces;
  private final Duration askTimeout;
  private final long frame;
  private final LocalBuckets local = new LocalBuckets();
  private final Clock clock = Clock.systemUTC();
  private volatile Buckets buckets;

  private Cache(ActorSystem<?> system) {
    this.system = system;
    this.settings = CacheSettings.from(system.settings().config());
    this.namespaces = NamespaceSettings.declaredIn(system.settings().config());
    this.askTimeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
    this.frame = system.settings().config().getBytes(FrameFit.FRAME_SIZE_PATH);
  }

  public static Cache get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /**
   * Starts the bucket types, the sweep schedule type and the sweeper on this node. Call once per
   * node before traffic; later calls do nothing.
   *
   * @throws IllegalStateException if a value does not fit in a remoting frame ({@link FrameFit})
   */
  public synchronized void start() {
    if (buckets != null) {
      return;
    }
    FrameFit.checkValues(frame, settings);
    ClusterSharding sharding = ClusterSharding.get(system);
    Entities.init(system, CacheSchedule.KIND);
    BucketEnv env =
        new BucketEnv(
            this::limitsOf,
            new ScheduleReporter(sharding, settings.sweepWorkers()),
            clock,
            settings.leaseTimeout(),
            settings.sweepInterval(),
            local);
    Entities.init(system, CacheBucket.kind(env));
    ShardedTypes.get(system).register(MemoryBucket.TYPE_KEY);
    sharding.init(MemoryBucket.entity(env));
    CacheSweeper.start(
        system,
        settings.sweepWorkers(),
        settings.sweepInterval(),
        Map.of(
            CacheBucket.TYPE_KEY.name(), CacheBucket.TYPE_KEY,
            MemoryBucket.TYPE_KEY.name(), MemoryBucket.TYPE_KEY),
        askTimeout);
    buckets = new Buckets(sharding, settings, this::settings, askTimeout);
  }

  /**
   * The live entry, or empty when absent or expired. Counts a hit or a miss. When the key's bucket
   * runs on this node, a live entry is read from the state it last published ({@link
   * LocalBuckets}) without a message.
   */
  public CompletionStage<Optional<CacheEntry>> get(RequestContext context, String namespace, String key) {
    return CacheStages.call(
        () -> {
          String tenant = checkTarget(context, namespace, key);
          EntityRef<BucketCommand> bucket = buckets().of(tenant, namespace, key);
          Optional<BucketReply.Entry> local =
              this.local.liveEntry(bucket.getEntityId(), key, clock.instant());
          if (local.isPresent()) {
            return CompletableFuture.completedFuture(local.map(CacheStages::toEntry));
          }
          return buckets().<BucketReply.Got>ask(bucket, replyTo -> new BucketCommand.Get(key, replyTo))
              .thenApply(got -> Optional.ofNullable(got.entry()).map(CacheStages::toEntry));
        });
  }

  /** Stores a value; the new etag. Fails with PRECONDITION_FAILED when a precondition does not hold. */
  public CompletionStage<String> put(
      RequestContext context, String namespace, String key, CacheValue value, PutOptions options) {
    return CacheStages.call(
        () -> {
          String tenant = checkTarget(context, namespace, key);
          CacheKeys.value(value, settings.maxValueBytes());
          PutOptions opts = options == null ? PutOptions.DEFAULT : options;
          Duration ttl = Ttl.resolve(opts.ttl(), settings(namespace));
          List<String> tags = CacheKeys.tags(opts.tags(), settings.maxTags());
          EntityRef<BucketCommand> bucket = buckets().of(tenant, namespace, key);
          return buckets().<BucketReply.PutReply>ask(
                  bucket,
                  replyTo ->
                      new BucketCommand.Put(
                          context,
                          key,
                          value.bytes(),
                          value.contentType(),
                          ttl,
                          tags,
                          opts.ifMatch().orElse(null),
                          opts.ifAbsent(),
                          replyTo))
              .thenApply(Cache::etagOrFail);
        });
  }

  /** Removes a key; whether a live entry was there. */
  public CompletionStage<Boolean> delete(RequestContext context, String namespace, String key) {
    return CacheStages.call(
        () -> {
          String tenant = checkTarget(context, namespace, key);
          EntityRef<BucketCommand> bucket = buckets().of(tenant, namespace, key);
          return buckets().<BucketReply.Deleted>ask(
                  bucket, replyTo -> new BucketCommand.Delete(context, key, replyTo))
              .thenApply(BucketReply.Deleted::existed);
        });
  }

  /** Removes every entry of the namespace carrying the tag, on all buckets; how many. */
  public CompletionStage<Integer> invalidateTag(RequestContext context, String namespace, String tag) {
    return CacheStages.call(
        () -> {
          CacheKeys.tag(tag);
          return this.<BucketReply.Count, Integer>fanOut(
              context,
              namespace,
              replyTo -> new BucketCommand.InvalidateTag(context, tag, replyTo),
              0,
              (sum, count) -> sum + count.count());
        });
  }

  /** Removes every entry of the namespace; how many. */
  public CompletionStage<Integer> flush(RequestContext context, String namespace) {
    return CacheStages.call(
        () ->
            this.<BucketReply.Count, Integer>fanOut(
                context,
                namespace,
                replyTo -> new BucketCommand.Flush(context, replyTo),
                0,
                (sum, count) -> sum + count.count()));
  }

  /** The namespace's figures, summed over its buckets. */
  public CompletionStage<CacheStats> stats(RequestContext context, String namespace) {
    return CacheStages.call(
        () ->
            this.<BucketReply.Stats, CacheStats>fanOut(
                context,
                namespace,
                BucketCommand.GetStats::new,
                CacheStats.EMPTY,
                (sum, s) ->
                    sum.plus(
                        new CacheStats(
                            s.entries(), s.bytes(), s.hits(), s.misses(), s.evictions(),
                            s.expirations()))));
  }

  /**
   * The live entry, or the loader's value stored with the given ttl. While one caller's load of a
   * missing key runs anywhere in the cluster, other callers wait for its result; a failed load is
   * not stored (the stage fails with the loader's error, and one waiter takes over); a loader
   * that holds its lease longer than {@code lease-timeout} (its node died) is replaced by a waiter.
   */
  public CompletionStage<CacheEntry> getOrCompute(
      RequestContext context,
      String namespace,
      String key,
      Duration ttl,
      Supplier<CompletionStage<CacheValue>> loader) {
    return getOrCompute(context, namespace, key, PutOptions.ttl(ttl), loader);
  }

  /** As above, with tags (preconditions are not allowed). */
  public CompletionStage<CacheEntry> getOrCompute(
      RequestContext context,
      String namespace,
      String key,
      PutOptions options,
      Supplier<CompletionStage<CacheValue>> loader) {
    return CacheStages.call(
        () -> {
          String tenant = checkTarget(context, namespace, key);
          PutOptions opts = options == null ? PutOptions.DEFAULT : options;
          if (opts.ifMatch().isPresent() || opts.ifAbsent()) {
            throw CacheException.invalid("getOrCompute takes no preconditions");
          }
          if (loader == null) {
            throw CacheException.invalid("loader must not be null");
          }
          Duration ttl = Ttl.resolve(opts.ttl(), settings(namespace));
          List<String> tags = CacheKeys.tags(opts.tags(), settings.maxTags());
          EntityRef<BucketCommand> bucket = buckets().of(tenant, namespace, key);
          Optional<BucketReply.Entry> live = local.liveEntry(bucket.getEntityId(), key, clock.instant());
          if (live.isPresent()) {
            return CompletableFuture.completedFuture(CacheStages.toEntry(live.get()));
          }
          Duration maxWait = settings.leaseTimeout().plus(askTimeout);
          long deadline = System.nanoTime() + maxWait.multipliedBy(3).toNanos();
          return new Computation(
                  context, bucket, key, ttl, tags, loader, maxWait, deadline,
                  settings.maxValueBytes(), askTimeout, system.executionContext())
              .acquire();
        });
  }

  /** The settings of a namespace (config defaults overlaid with its own block). */
  public NamespaceSettings settings(String namespace) {
    return namespaces.getOrDefault(namespace, settings.defaults());
  }

  /** The node-wide cache settings. */
  public CacheSettings settings() {
    return settings;
  }

  private BucketLimits limitsOf(String namespace) {
    NamespaceSettings ns = settings(namespace);
    return FrameFit.limits(ns, settings.buckets(), frame);
  }

  /** Validates tenant, namespace and key; the tenant. */
  private String checkTarget(RequestContext context, String namespace, String key) {
    String tenant = tenantOf(context);
    CacheKeys.namespace(namespace);
    CacheKeys.key(key, settings.maxKeyBytes());
    return tenant;
  }

  private String tenantOf(RequestContext context) {
    if (context == null) {
      throw CacheException.invalid("a request context is required");
    }
    return CacheKeys.tenant(context.tenant());
  }

  /** Validates tenant and namespace, then asks every bucket of the namespace. */
  private <R, T> CompletionStage<T> fanOut(
      RequestContext context,
      String namespace,
      Function<ActorRef<R>, BucketCommand> command,
      T zero,
      BiFunction<T, R, T> fold) {
    String tenant = tenantOf(context);
    CacheKeys.namespace(namespace);
    return buckets().fanOut(tenant, namespace, command, zero, fold);
  }

  private Buckets buckets() {
    Buckets running = buckets;
    if (running == null) {
      throw notStarted();
    }
    return running;
  }

  private static CacheException notStarted() {
    return CacheException.unavailable("the cache is not started on this node");
  }

  private static String etagOrFail(BucketReply.PutReply reply) {
    if (reply instanceof BucketReply.Stored stored) {
      return stored.etag();
    }
    if (reply instanceof BucketReply.PreconditionFailed failed) {
      throw CacheException.preconditionFailed(
          failed.currentEtag() == null
              ? "no entry for the key"
              : "the entry's etag is " + failed.currentEtag(),
          Optional.ofNullable(failed.currentEtag()));
    }
    throw new IllegalStateException("unexpected reply to a put: " + reply);
  }

  private static final class Id extends ExtensionId<Cache> {
    @Override
    public Cache createExtension(ActorSystem<?> system) {
      return new Cache(system);
    }
  }
}
