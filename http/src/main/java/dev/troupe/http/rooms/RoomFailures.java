package dev.troupe.http.rooms;

import dev.troupe.actors.rooms.RoomException;
import dev.troupe.cluster.StageFailures;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The stable code and message of an error frame for a failed rooms request. */
final class RoomFailures {

  private static final Logger log = LoggerFactory.getLogger(RoomFailures.class);

  /** A failure as the client sees it. */
  record Failure(String code, String message) {}

  private RoomFailures() {}

  static Failure of(Throwable failure) {
    Throwable e = StageFailures.unwrap(failure);
    if (e instanceof RoomException refused) {
      return new Failure(refused.kind().code(), refused.getMessage());
    }
    if (e instanceof AskTimeoutException || e instanceof TimeoutException) {
      return new Failure("unavailable", "the room did not answer in time; retry later");
    }
    log.warn("a rooms request over a live connection failed", e);
    return new Failure("unavailable", "the request failed; retry later");
  }
}
