package dev.troupe.actors.cache;

import dev.troupe.actors.cache.bucket.BucketReply;
import dev.troupe.cluster.StageFailures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.pattern.AskTimeoutException;

/** How the cache's stages fail and what bucket answers look like to callers. */
final class CacheStages {

  private CacheStages() {}

  /**
   * Runs a call: a check that throws becomes a failed stage, and the resulting stage fails with
   * the unwrapped cause, ask timeouts turned into UNAVAILABLE.
   */
  static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> body) {
    CompletionStage<T> stage;
    try {
      stage = body.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else {
            Throwable cause = StageFailures.unwrap(failure);
            result.completeExceptionally(
                cause instanceof AskTimeoutException
                    ? CacheException.unavailable("the cache bucket did not answer in time")
                    : cause);
          }
        });
    return result;
  }


  static CacheEntry toEntry(BucketReply.Entry entry) {
    return new CacheEntry(
        entry.key(),
        entry.value(),
        entry.contentType(),
        entry.etag(),
        entry.storedAt(),
        entry.expiresAt(),
        entry.tags());
  }
}
