package dev.troupe.actors.identity;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.identity.session.Session;
import dev.troupe.cluster.DirectStages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * When a login session ends for good (its {@code max-lifetime}), asked of its session entity: what
 * a live connection opened with one of the session's credentials (bearer token, cookie, ticket)
 * must not outlive. One ask, made when the connection (or the ticket) is opened, never per request.
 */
public final class SessionEnds {

  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final Clock clock;

  public SessionEnds(ActorSystem<?> system) {
    this(system, Clock.systemUTC());
  }

  SessionEnds(ActorSystem<?> system, Clock clock) {
    this.system = system;
    this.askTimeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
    this.clock = clock;
  }

  /**
   * The absolute end of the principal's login session: its {@code max-lifetime} while it is active,
   * now when it has already ended. Empty for a principal that has no login session (an API key's
   * {@code apikey:} session, an unknown session id). Fails when the session does not answer in time.
   */
  public CompletionStage<Optional<Instant>> of(Principal principal) {
    String sessionId = principal.sessionId();
    if (sessionId == null || sessionId.isEmpty() || sessionId.startsWith("apikey:")) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Instant now = clock.instant();
    EntityRef<Session.Command> session;
    try {
      session = Entities.ref(system, Session.KIND, principal.org(), principal.sessionId());
    } catch (IllegalArgumentException notALoginSession) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return DirectStages.direct(
            session.<StatusReply<Session.Info>>ask(replyTo -> new Session.GetInfo(now, replyTo), askTimeout))
        .thenApply(
            reply -> {
              if (reply.isError()) {
                return Optional.empty();
              }
              Session.Info info = reply.getValue();
              return Optional.of("active".equals(info.status()) ? info.absoluteExpiry() : now);
            });
  }

  /** The earlier of two ends, either of which may be missing (no end). */
  public static Optional<Instant> earlier(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().isBefore(b.get()) ? a.get() : b.get());
  }
}
