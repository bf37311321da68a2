package dev.troupe.actors.cache;

import dev.troupe.actors.cache.bucket.BucketCommand;
import dev.troupe.actors.cache.bucket.BucketIds;
import dev.troupe.actors.cache.bucket.CacheBucket;
import dev.troupe.actors.cache.bucket.MemoryBucket;
import dev.troupe.cluster.DirectStages;
import dev.troupe.persistence.entity.EntityIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * Finds and asks the buckets of a namespace: the bucket of a key ({@link
 * CacheSettings#bucketOf}), of the namespace's type (durable or memory), and all of them at once for flush,
 * invalidation and stats. Arguments are validated by the caller.
 */
final class Buckets {

  private final ClusterSharding sharding;
  private final CacheSettings settings;
  private final int count;
  private final Function<String, NamespaceSettings> namespaces;
  private final Duration askTimeout;

  Buckets(
      ClusterSharding sharding,
      CacheSettings settings,
      Function<String, NamespaceSettings> namespaces,
      Duration askTimeout) {
    this.sharding = sharding;
    this.settings = settings;
    this.count = settings.buckets();
    this.namespaces = namespaces;
    this.askTimeout = askTimeout;
  }

  /** The bucket a key lives in. */
  EntityRef<BucketCommand> of(String tenant, String namespace, String key) {
    return bucket(tenant, namespace, settings.bucketOf(key));
  }

  /** Asks one bucket with the ask timeout; the stage completes on the replying thread. */
  <R> CompletionStage<R> ask(
      EntityRef<BucketCommand> bucket, Function<ActorRef<R>, BucketCommand> command) {
    return DirectStages.direct(bucket.ask(command::apply, askTimeout));
  }

  /** Asks every bucket of the namespace and folds the answers. */
  <R, T> CompletionStage<T> fanOut(
      String tenant,
      String namespace,
      Function<ActorRef<R>, BucketCommand> command,
      T zero,
      BiFunction<T, R, T> fold) {
    List<CompletableFuture<R>> answers = new ArrayList<>(count);
    for (int n = 0; n < count; n++) {
      answers.add(this.<R>ask(bucket(tenant, namespace, n), command).toCompletableFuture());
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              T sum = zero;
              for (CompletableFuture<R> answer : answers) {
                sum = fold.apply(sum, answer.join());
              }
              return sum;
            });
  }

  private EntityRef<BucketCommand> bucket(String tenant, String namespace, int n) {
    EntityTypeKey<BucketCommand> type =
        namespaces.apply(namespace).durable() ? CacheBucket.TYPE_KEY : MemoryBucket.TYPE_KEY;
    return sharding.entityRefFor(type, EntityIds.scoped(tenant, BucketIds.localId(namespace, n)));
  }
}
