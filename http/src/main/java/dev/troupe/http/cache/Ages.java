package dev.troupe.http.cache;

import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.http.javadsl.model.headers.Age;

/** The {@code Age} header of an answer from the cache: whole seconds since the entry was stored. */
final class Ages {

  private Ages() {}

  /** {@code Age} for an entry stored then; never negative (clocks of nodes differ a little). */
  static Age header(Instant storedAt) {
    return Age.create(Math.max(0, Duration.between(storedAt, Instant.now()).toSeconds()));
  }
}
