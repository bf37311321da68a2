package dev.troupe.actors.cache;

import dev.troupe.actors.cache.bucket.BucketCommand;
import dev.troupe.actors.cache.bucket.BucketReply;
import dev.troupe.cluster.DirectStages;
import dev.troupe.cluster.StageFailures;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.AskTimeoutException;

/**
 * One getOrCompute call: acquire the key's load lease at its bucket (retried on ask timeouts until
 * the deadline), load on this node, then fill the key (or abandon the lease if the load failed).
 *
 * <p>Bucket answers complete on the thread that completes the ask ({@link DirectStages#direct}),
 * which for a bucket on this node is the bucket actor's own thread while it handles the command.
 * The loader is therefore started on {@code executor} (the actor system's), never there: a slow
 * loader must not hold up the bucket's other keys.
 */
final class Computation {

  /**
   * Extra time an Acquire ask waits beyond the bucket's own parking limit. The bucket's limit
   * starts when it handles the Acquire, which may be later than the ask started (sharding buffers,
   * a bucket recovering or loading its replica): the margin keeps a lease from being granted to an
   * ask that has already given up, which would leave the key leased until lease-timeout.
   */
  static final Duration ACQUIRE_ASK_MARGIN = Duration.ofSeconds(5);

  private final RequestContext context;
  private final EntityRef<BucketCommand> bucket;
  private final String key;
  private final Duration ttl;
  private final List<String> tags;
  private final Supplier<CompletionStage<CacheValue>> loader;
  private final Duration maxWait;
  private final long deadline;
  private final long maxValueBytes;
  private final Duration askTimeout;
  private final Executor executor;

  /**
   * @param maxWait how long the bucket may park the caller before granting it the lease
   * @param deadline {@code System.nanoTime()} after which a timed-out Acquire is not retried
   * @param executor where the loader runs (not the thread that answers the bucket's reply)
   */
  Computation(
      RequestContext context,
      EntityRef<BucketCommand> bucket,
      String key,
      Duration ttl,
      List<String> tags,
      Supplier<CompletionStage<CacheValue>> loader,
      Duration maxWait,
      long deadline,
      long maxValueBytes,
      Duration askTimeout,
      Executor executor) {
    this.context = context;
    this.bucket = bucket;
    this.key = key;
    this.ttl = ttl;
    this.tags = tags;
    this.loader = loader;
    this.maxWait = maxWait;
    this.deadline = deadline;
    this.maxValueBytes = maxValueBytes;
    this.askTimeout = askTimeout;
    this.executor = executor;
  }

  CompletionStage<CacheEntry> acquire() {
    return DirectStages.direct(
            bucket.<BucketReply.AcquireReply>ask(
                replyTo -> new BucketCommand.Acquire(key, maxWait, replyTo),
                maxWait.plus(ACQUIRE_ASK_MARGIN)))
        .handle(
            (reply, failure) -> {
              if (failure != null) {
                Throwable cause = StageFailures.unwrap(failure);
                if (!(cause instanceof AskTimeoutException)) {
                  return CompletableFuture.<CacheEntry>failedFuture(cause);
                }
                if (System.nanoTime() - deadline >= 0) {
                  return CompletableFuture.<CacheEntry>failedFuture(
                      CacheException.unavailable(
                          "no value for the key within " + maxWait.multipliedBy(3)));
                }
                return acquire();
              }
              if (reply instanceof BucketReply.Found found) {
                return CompletableFuture.completedFuture(CacheStages.toEntry(found.entry()));
              }
              if (reply instanceof BucketReply.Granted granted) {
                // Off the bucket's thread before the loader runs (see the class comment).
                return CompletableFuture.supplyAsync(() -> load(granted.leaseId()), executor)
                    .thenCompose(Function.identity());
              }
              return CompletableFuture.<CacheEntry>failedFuture(
                  new IllegalStateException("unexpected bucket reply " + reply));
            })
        .thenCompose(Function.identity());
  }

  private CompletionStage<CacheEntry> load(String leaseId) {
    CompletionStage<CacheValue> loading;
    try {
      loading = loader.get();
      if (loading == null) {
        loading =
            CompletableFuture.failedFuture(new IllegalStateException("loader returned null"));
      }
    } catch (Exception e) {
      loading = CompletableFuture.failedFuture(e);
    }
    return loading
        .handle(
            (value, failure) -> {
              if (failure == null) {
                try {
                  if (value == null) {
                    throw new IllegalStateException("loader completed with null");
                  }
                  CacheKeys.value(value, maxValueBytes);
                } catch (RuntimeException e) {
                  failure = e;
                }
              }
              if (failure != null) {
                bucket.tell(new BucketCommand.Abandon(key, leaseId));
                return CompletableFuture.<CacheEntry>failedFuture(StageFailures.unwrap(failure));
              }
              return fill(leaseId, value);
            })
        .thenCompose(Function.identity());
  }

  private CompletionStage<CacheEntry> fill(String leaseId, CacheValue value) {
    return DirectStages.direct(
            bucket.<BucketReply.PutReply>ask(
                replyTo ->
                    new BucketCommand.Fill(
                        context, key, leaseId, value.bytes(), value.contentType(), ttl, tags,
                        replyTo),
                askTimeout))
        .thenApply(
            reply -> {
              if (reply instanceof BucketReply.Stored stored) {
                return new CacheEntry(
                    key,
                    value.bytes(),
                    value.contentType(),
                    stored.etag(),
                    stored.expiresAt().minus(ttl),
                    stored.expiresAt(),
                    tags);
              }
              if (reply instanceof BucketReply.Superseded superseded) {
                // The load took so long that the lease passed on, and someone stored the key
                // meanwhile: our value was not stored (it may be stale); the live one wins.
                return CacheStages.toEntry(superseded.entry());
              }
              throw new IllegalStateException("unexpected reply to a fill: " + reply);
            });
  }
}
