package dev.troupe.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Pekko's Java asks return a stage that wraps a Scala future and turns every dependent call
 * ({@code thenApply}, {@code whenComplete}, ...) into its {@code ...Async} form on {@code
 * ForkJoinPool.commonPool()}. With fewer than two cores for that pool (a pod limited to one or two
 * CPUs, a pinned process) Java runs each such task on a new thread: thousands of threads started
 * per second under load.
 *
 * <p>{@link #direct} hands the outcome to a plain {@link CompletableFuture} on the thread that
 * completes the ask (a Pekko dispatcher thread), so continuations run there, as they would on any
 * Java future. They must therefore not block, which is the rule for all code on actor threads.
 */
public final class DirectStages {

  private static final Executor SAME_THREAD = Runnable::run;

  private DirectStages() {}

  /** The same outcome as a plain future whose continuations run on the completing thread. */
  public static <T> CompletableFuture<T> direct(CompletionStage<T> stage) {
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenCompleteAsync(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(failure);
          }
        },
        SAME_THREAD);
    return result;
  }
}
