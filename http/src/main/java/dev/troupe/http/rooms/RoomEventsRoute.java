package dev.troupe.http.rooms;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.actors.rooms.live.RoomLive;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.identity.browser.LiveSessions;
import dev.troupe.http.identity.browser.SameOriginStreams;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import dev.troupe.http.security.ConnectionLimits;
import dev.troupe.http.security.Protections;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code GET /rooms/{room}/events}: one room as Server-Sent Events. First the full presence
 * ({@code presence}, no id), then {@code message} events whose id is the offset, {@code
 * presence_diff} events (no id, so a browser's last event id stays the last offset), and {@code
 * closed} when the room closes, after which the stream ends. A reconnect with {@code
 * Last-Event-ID} (or {@code ?since=}) resumes right after that offset: no gap, no duplicate. The
 * room is joined before the response starts, so a refusal is a problem response (404, 403, 409);
 * a client that falls behind, is put out of the room or whose session ends sees the stream end.
 */
final class RoomEventsRoute extends AllDirectives {

  private final Rooms rooms;
  private final RoomJson json;
  private final Duration heartbeat;
  private final Protections protections;
  private final LiveSessions live;

  RoomEventsRoute(Rooms rooms, RoomJson json, Duration heartbeat, Protections protections, LiveSessions live) {
    this.rooms = rooms;
    this.json = json;
    this.heartbeat = heartbeat;
    this.protections = protections;
    this.live = live;
  }

  /**
   * The stream is counted against the per-user and per-address connection caps (429 before it
   * starts past either) until it ends, and ends when its credential's session does ({@link
   * LiveSessions}). With the session cookie it must come from the same origin, not a navigation
   * (403, {@link SameOriginStreams}).
   */
  Route route(Principal principal, String room) {
    return extractRequest(
        request -> {
          SameOriginStreams.check(request);
          OptionalLong since = since(request);
          return onSuccess(
              endOf(request),
              expiresAt -> {
                Optional<ConnectionLimits.Lease> lease = protections.connection(principal, request);
                return onSuccess(
                    joined(principal, room, since, lease),
                    events ->
                        completeOK(
                            live.expiring(principal.sessionId(), expiresAt, Protections.counted(events, lease)),
                            EventStreamMarshalling.toEventStream()));
              });
        });
  }

  private CompletionStage<Optional<Instant>> endOf(HttpRequest request) {
    return RequestContexts.authenticatedOf(request)
        .map(live::endOf)
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }

  private CompletionStage<Source<ServerSentEvent, NotUsed>> joined(
      Principal principal, String room, OptionalLong since, Optional<ConnectionLimits.Lease> lease) {
    RoomLive live = rooms.live();
    RoomLive.Connection connection;
    CompletionStage<?> join;
    try {
      connection = live.connect(principal, "sse");
    } catch (RuntimeException e) {
      lease.ifPresent(ConnectionLimits.Lease::release);
      throw e;
    }
    try {
      join = live.join(connection.client(), principal, room, since, null);
    } catch (RuntimeException e) {
      RoomSocket.disconnect(live, connection.client());
      lease.ifPresent(ConnectionLimits.Lease::release);
      throw e;
    }
    return join.handle(
        (done, failure) -> {
          if (failure != null) {
            RoomSocket.disconnect(live, connection.client());
            lease.ifPresent(ConnectionLimits.Lease::release);
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
          }
          return events(connection);
        });
  }

  /** The client's outputs as events; the client is disconnected when the stream stops. */
  private Source<ServerSentEvent, NotUsed> events(RoomLive.Connection connection) {
    return connection
        .outputs()
        .takeWhile(output -> !ends(output), true)
        .mapConcat(this::event)
        .recoverWithRetries(1, Throwable.class, () -> Source.<ServerSentEvent>empty())
        .keepAlive(heartbeat, ServerSentEvent::heartbeat);
  }

  /** The room closed, or this client was put out of it (kick, ban, revoked session). */
  private static boolean ends(RoomOutput output) {
    return output instanceof RoomOutput.Closed || output instanceof RoomOutput.Removed;
  }

  private List<ServerSentEvent> event(RoomOutput output) {
    // A broadcast output is the same object for all the hub's clients: rendered once (memo).
    if (output instanceof RoomOutput.Message m) {
      return m.memo().get(this, () -> List.of(
          ServerSentEvent.create(
              json.messageEvent(m.message()),
              Optional.of("message"),
              Optional.of(Long.toString(m.message().offset())),
              OptionalInt.empty())));
    }
    if (output instanceof RoomOutput.PresenceDiff diff) {
      return diff.memo().get(this, () -> List.of(ServerSentEvent.create(json.presenceDiffEvent(diff), "presence_diff")));
    }
    if (output instanceof RoomOutput.PresenceSnapshot snapshot) {
      return List.of(ServerSentEvent.create(json.presence(snapshot.state()), "presence"));
    }
    if (output instanceof RoomOutput.Closed closed) {
      return List.of(ServerSentEvent.create(json.closedEvent(closed.room()), "closed"));
    }
    if (output instanceof RoomOutput.Removed removed) {
      // Why the stream ends (kicked, banned, session_revoked, session_expired), so a browser can
      // tell it from a network drop before its reconnect fails. Not named "error": EventSource
      // would hand it to onerror, which is for connection failures.
      return List.of(
          ServerSentEvent.create(json.error(removed.room(), "", removed.code(), removed.message()), "ended"));
    }
    return List.of();
  }

  /**
   * Where to resume: {@code Last-Event-ID} (what a browser sends back on reconnect), else {@code
   * ?since=}; neither: live only. A value that is not an offset is a 400.
   */
  private static OptionalLong since(HttpRequest request) {
    Optional<String> lastEventId = request.getHeader("Last-Event-ID").map(HttpHeader::value);
    if (lastEventId.isPresent()) {
      return OptionalLong.of(offset("Last-Event-ID", lastEventId.get()));
    }
    Optional<String> since = request.getUri().query().get("since");
    return since.isPresent() ? OptionalLong.of(offset("since", since.get())) : OptionalLong.empty();
  }

  static long offset(String name, String value) {
    try {
      long offset = Long.parseLong(value.trim());
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ProblemException(ProblemCode.INVALID_PARAMETER, "'" + name + "' must be an offset (an integer >= 0)");
  }
}
