package dev.troupe.cluster;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The failure a stage really failed with, without the wrappers futures put around it. */
public final class StageFailures {

  private StageFailures() {}

  /** Strips {@link CompletionException} and {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
