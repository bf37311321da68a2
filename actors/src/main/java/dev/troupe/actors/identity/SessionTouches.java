package dev.troupe.actors.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.troupe.actors.identity.session.Session;
import java.time.Clock;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Tells a session it was seen, at most once per touch interval per node, so a busy session does
 * not cost a message (let alone a journal write) per request. The session entity persists the
 * time only when its own last-seen is older than the interval.
 */
final class SessionTouches {

  private final IdentityAsks asks;
  private final Cache<String, Boolean> recent;
  private final Clock clock;

  SessionTouches(IdentityAsks asks, Duration interval, long maxSessions, Clock clock) {
    this.asks = asks;
    this.recent = Caffeine.newBuilder().expireAfterWrite(interval).maximumSize(maxSessions).build();
    this.clock = clock;
  }

  void seen(Principal principal) {
    if (recent.asMap().putIfAbsent(principal.sessionId(), Boolean.TRUE) == null) {
      asks.ref(Session.KIND, principal.org(), principal.sessionId()).tell(new Session.Touch(clock.instant()));
    }
  }

  static SessionTouches of(ActorSystem<?> system, IdentityAsks asks, Clock clock) {
    var config = system.settings().config();
    return new SessionTouches(
        asks,
        config.getDuration("troupe.identity.sessions.touch-interval"),
        config.getLong("troupe.identity.tokens.cache-size"),
        clock);
  }
}
