package dev.troupe.http.identity.browser;

import dev.troupe.actors.identity.SessionEnds;
import dev.troupe.actors.identity.revocation.Revocations;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.actors.rooms.live.RoomLive;
import dev.troupe.http.context.Authenticated;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Ends this node's long-lived responses of a session when the session ends. Room connections
 * (WebSocket and room SSE) live in the rooms' {@code Connections} registry; other streams (audit
 * SSE, ndjson follow) register here with {@link #track}. A revocation seen by {@link Revocations}
 * (made on any node) closes them all: WebSockets get the error frame {@code session_revoked} then
 * close, SSE streams end, and the reconnect is refused (401).
 *
 * <p>Expiry: {@link #endOf} says when a connection's credential ends, and {@link #expiring} (or
 * {@link #track}) arms one timer per connection, cancelled when the connection ends; when it fires,
 * the session's connections on this node are closed the same way with {@code session_expired}.
 */
public final class LiveSessions implements Extension {

  private final ActorSystem<?> system;
  private final Revocations revocations;
  private final SessionEnds sessionEnds;
  private final Map<String, Set<UniqueKillSwitch>> streams = new ConcurrentHashMap<>();

  private LiveSessions(ActorSystem<?> system) {
    this.system = system;
    this.revocations = Revocations.get(system);
    this.sessionEnds = new SessionEnds(system);
    revocations.onNewlyRevoked(ids -> ids.forEach(id -> close(id, RoomLive.SESSION_REVOKED, "the session was revoked")));
  }

  public static LiveSessions get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * When a live connection opened with this credential must close: for a bearer token or the
   * session cookie, the login session's absolute end (one ask of the session entity, made when the
   * connection opens); for an API key, the key's expiry; for a ticket, its grant's (the earlier of
   * the two, fixed when it was issued). A custom authenticator's credential: never.
   */
  public CompletionStage<Optional<Instant>> endOf(Authenticated authenticated) {
    return switch (authenticated.method()) {
      case BEARER, COOKIE -> sessionEnds.of(authenticated.principal());
      case API_KEY, TICKET -> CompletableFuture.completedFuture(authenticated.expiresAt());
      case CUSTOM -> CompletableFuture.completedFuture(Optional.empty());
    };
  }

  /**
   * The source, ended when the session is revoked or at {@code expiresAt}. Registered when it is
   * run and forgotten when it stops; a session already revoked ends it at once.
   */
  public <T> Source<T, NotUsed> track(String sessionId, Optional<Instant> expiresAt, Source<T, NotUsed> source) {
    return source
        .viaMat(KillSwitches.single(), Keep.right())
        .watchTermination(
            (killSwitch, done) -> {
              Set<UniqueKillSwitch> switches = streams.computeIfAbsent(sessionId, id -> ConcurrentHashMap.newKeySet());
              switches.add(killSwitch);
              Optional<ExpiryTimer> timer = expiresAt.map(at -> timer(sessionId, at));
              done.whenComplete(
                  (ok, failure) -> {
                    timer.ifPresent(ExpiryTimer::cancel);
                    forget(sessionId, killSwitch);
                  });
              if (revocations.isRevoked(sessionId)) {
                close(sessionId, RoomLive.SESSION_REVOKED, "the session was revoked");
              }
              return NotUsed.getInstance();
            });
  }

  /**
   * The room connection's flow (a WebSocket), with a timer that closes the session's connections
   * at {@code expiresAt}: armed when the flow runs, cancelled when it stops.
   */
  public <I, O, M> Flow<I, O, M> expiring(String sessionId, Optional<Instant> expiresAt, Flow<I, O, M> flow) {
    if (expiresAt.isEmpty()) {
      return flow;
    }
    return flow.watchTermination((mat, done) -> armed(sessionId, expiresAt.get(), mat, done));
  }

  /** The room connection's source (room SSE), with the same timer as {@link #expiring(String, Optional, Flow)}. */
  public <O, M> Source<O, M> expiring(String sessionId, Optional<Instant> expiresAt, Source<O, M> source) {
    if (expiresAt.isEmpty()) {
      return source;
    }
    return source.watchTermination((mat, done) -> armed(sessionId, expiresAt.get(), mat, done));
  }

  /** Arms the session's timer as a stream starts; the stream's end cancels it. */
  private <M> M armed(String sessionId, Instant at, M mat, CompletionStage<Done> done) {
    ExpiryTimer timer = timer(sessionId, at);
    done.whenComplete((ok, failure) -> timer.cancel());
    return mat;
  }

  /** Closes the session's room connections and tracked streams on this node; answers how many. */
  public int close(String sessionId, String code, String message) {
    int closed = Rooms.get(system).live().connections().closeSession(sessionId, code, message);
    Set<UniqueKillSwitch> switches = streams.remove(sessionId);
    if (switches != null) {
      switches.forEach(UniqueKillSwitch::shutdown);
      closed += switches.size();
    }
    return closed;
  }

  private ExpiryTimer timer(String sessionId, Instant at) {
    return ExpiryTimer.start(
        (delay, task) -> system.scheduler().scheduleOnce(delay, task, system.executionContext()),
        Instant::now,
        at,
        () -> close(sessionId, RoomLive.SESSION_EXPIRED, "the session has ended"));
  }

  private void forget(String sessionId, UniqueKillSwitch killSwitch) {
    streams.computeIfPresent(
        sessionId,
        (id, switches) -> {
          switches.remove(killSwitch);
          return switches.isEmpty() ? null : switches;
        });
  }

  private static final class Id extends ExtensionId<LiveSessions> {
    static final Id INSTANCE = new Id();

    @Override
    public LiveSessions createExtension(ActorSystem<?> system) {
      return new LiveSessions(system);
    }
  }
}
