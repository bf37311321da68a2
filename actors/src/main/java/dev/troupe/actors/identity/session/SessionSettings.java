package dev.troupe.actors.identity.session;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How sessions live, from {@code troupe.identity.sessions}.
 *
 * @param idleTimeout a session unused this long expires
 * @param maxLifetime a session expires this long after it started, however used
 * @param touchInterval use of a session is persisted at most once per this interval
 * @param refreshHistory how many previous refresh-token hashes are kept to detect reuse
 */
public record SessionSettings(
    Duration idleTimeout, Duration maxLifetime, Duration touchInterval, int refreshHistory) {

  public SessionSettings {
    if (idleTimeout.isNegative() || idleTimeout.isZero()
        || maxLifetime.isNegative() || maxLifetime.isZero()
        || touchInterval.isNegative()) {
      throw new IllegalArgumentException("session timeouts must be positive");
    }
    if (refreshHistory < 0) {
      throw new IllegalArgumentException("refresh-history must be >= 0");
    }
  }

  public static SessionSettings from(Config config) {
    Config sessions = config.getConfig("troupe.identity.sessions");
    return new SessionSettings(
        sessions.getDuration("idle-timeout"),
        sessions.getDuration("max-lifetime"),
        sessions.getDuration("touch-interval"),
        sessions.getInt("refresh-history"));
  }
}
