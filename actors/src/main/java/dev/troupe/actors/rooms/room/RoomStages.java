package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomException;
import dev.troupe.cluster.StageFailures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.pekko.pattern.StatusReply;

/** How {@link RoomAdmin}'s stages fail: with the {@link RoomException} itself, never wrapped. */
final class RoomStages {

  private RoomStages() {}

  /**
   * Runs a call: a check that throws becomes a failed stage, and the stage fails with the unwrapped
   * RoomException, an error reply turned into one, and a timeout into UNAVAILABLE.
   */
  static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> body) {
    CompletionStage<T> stage;
    try {
      stage = body.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e(e));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            result.complete(value);
          } else {
            result.completeExceptionally(e(StageFailures.unwrap(failure)));
          }
        });
    return result;
  }

  /** What a failure means to callers. */
  static RuntimeException e(Throwable cause) {
    if (cause instanceof RoomException refusal) {
      return refusal;
    } else if (cause instanceof StatusReply.ErrorMessage error) {
      return RoomRefusals.fromText(error.getMessage());
    } else if (cause instanceof TimeoutException) {
      return new RoomException(RoomException.Kind.UNAVAILABLE, "the room did not answer in time");
    }
    return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
  }
}
