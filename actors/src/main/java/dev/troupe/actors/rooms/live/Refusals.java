package dev.troupe.actors.rooms.live;

import dev.troupe.actors.rooms.RoomException;
import dev.troupe.cluster.StageFailures;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.pattern.AskTimeoutException;

/** How a failed join or presence read is answered to the client. */
final class Refusals {

  private Refusals() {}

  /** The failure's cause; a timeout becomes {@code UNAVAILABLE} ("the room did not answer in time"). */
  static Throwable of(Throwable failure) {
    if (isTimeout(failure)) {
      return new RoomException(RoomException.Kind.UNAVAILABLE, "the room did not answer in time");
    }
    return StageFailures.unwrap(failure);
  }

  static boolean isTimeout(Throwable failure) {
    Throwable cause = StageFailures.unwrap(failure);
    return cause instanceof TimeoutException || cause instanceof AskTimeoutException;
  }
}
