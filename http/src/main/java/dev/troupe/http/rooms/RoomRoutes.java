package dev.troupe.http.rooms;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.identity.browser.LiveSessions;
import dev.troupe.http.identity.browser.SameOriginStreams;
import dev.troupe.http.security.Protections;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Rooms over HTTP, scoped to the caller's org:
 *
 * <ul>
 *   <li>{@code PUT /rooms/{room}} (201 created / 200 updated), {@code GET /rooms}, {@code GET
 *       /rooms/{room}}, {@code DELETE /rooms/{room}} (204);
 *   <li>{@code PUT|DELETE /rooms/{room}/members/{user}}, {@code PUT|DELETE
 *       /rooms/{room}/bans/{user}}, {@code POST /rooms/{room}/kick {"user"}} (204);
 *   <li>{@code POST /rooms/{room}/messages} (201, {@code Idempotency-Key}), {@code GET
 *       /rooms/{room}/messages?after=&before=&limit=}, {@code GET /rooms/{room}/presence};
 *   <li>{@code GET /rooms/{room}/events}: SSE ({@link RoomEventsRoute});
 *   <li>{@code GET /ws}: the WebSocket that multiplexes rooms ({@link RoomSocket}); a browser may
 *       send its token as the subprotocol {@code troupe.bearer.<token>} ({@link BearerProtocol})
 *       and is answered {@code troupe.v1}.
 * </ul>
 *
 * Administration needs {@code rooms.admin}, everything else {@code rooms.use}. Every rejection
 * under {@code /rooms} is answered here as a problem.
 */
public final class RoomRoutes extends AllDirectives {

  /** Join, read, post, presence and live streams. */
  public static final String USE = "rooms.use";

  /** Create, configure, close; members, bans, kicks. */
  public static final String ADMIN = "rooms.admin";

  /** The WebSocket subprotocol of this contract. */
  public static final String PROTOCOL = "troupe.v1";

  private final RouteSupport support;
  private final RoomRestRoutes rest;
  private final RoomEventsRoute events;
  private final RoomSocket socket;
  private final Protections protections;
  private final LiveSessions live;

  public RoomRoutes(RouteSupport support) {
    this.support = support;
    Rooms rooms = Rooms.get(support.system());
    RoomJson json = new RoomJson(support.json().mapper().getFactory());
    this.rest = new RoomRestRoutes(support, rooms, json);
    this.protections = Protections.get(support.system());
    this.live = LiveSessions.get(support.system());
    this.events =
        new RoomEventsRoute(
            rooms,
            json,
            support.system().settings().config().getDuration("troupe.streams.heartbeat-interval"),
            protections,
            live);
    this.socket = new RoomSocket(
            rooms,
            json,
            new ClientFrames(support.json().mapper().getFactory()),
            Materializer.matFromSystem(support.system()));
  }

  public Route route() {
    return concat(
        path("ws", () -> support.answered(() -> get(() -> using(this::webSocket)))),
        pathPrefix("rooms", () -> wholeSegment(this::rooms)));
  }

  private Route rooms() {
    return concat(
        pathEnd(() -> get(() -> using(rest::list))),
        pathPrefix(
            PathMatchers.segment(),
            room ->
                concat(
                    pathEnd(
                        () ->
                            concat(
                                get(() -> using(p -> rest.info(p, room))),
                                put(() -> administering(p -> rest.configure(p, room))),
                                delete(() -> administering(p -> rest.close(p, room))))),
                    path(
                        PathMatchers.segment("members").slash(PathMatchers.segment()),
                        user ->
                            concat(
                                put(() -> administering(p -> rest.member(p, room, user, true))),
                                delete(() -> administering(p -> rest.member(p, room, user, false))))),
                    path(
                        PathMatchers.segment("bans").slash(PathMatchers.segment()),
                        user ->
                            concat(
                                put(() -> administering(p -> rest.ban(p, room, user, true))),
                                delete(() -> administering(p -> rest.ban(p, room, user, false))))),
                    path("kick", () -> post(() -> administering(p -> rest.kick(p, room)))),
                    path(
                        "messages",
                        () ->
                            concat(
                                post(() -> using(p -> rest.post(p, room))),
                                get(() -> using(p -> rest.history(p, room))))),
                    path("presence", () -> get(() -> using(p -> rest.presence(p, room)))),
                    path("events", () -> get(() -> using(p -> events.route(p, room)))))));
  }

  /**
   * {@code GET /ws}: answers {@code troupe.v1} when the client offers it. Before the upgrade: a
   * foreign {@code Origin} (or, with the session cookie, a cross-site or navigation request) is
   * refused 403 and a connection past the per-user or per-address cap 429 ({@link Protections});
   * the connection is counted until it ends, and closed with {@code session_expired} when its
   * credential's session ends ({@link LiveSessions#endOf}).
   */
  private Route webSocket(Principal principal) {
    return support.withContext(
        context ->
            extractRequest(
                request -> {
                  if (request.getAttribute(AttributeKeys.webSocketUpgrade).isEmpty()) {
                    return handleWebSocketMessages(Flow.<Message>create()); // rejected: not a WebSocket
                  }
                  protections.checkWebSocketOrigin(request);
                  SameOriginStreams.check(request);
                  return onSuccess(
                      endOf(request),
                      expiresAt -> {
                        var lease = protections.connection(principal, request);
                        var flow =
                            live.expiring(
                                principal.sessionId(),
                                expiresAt,
                                Protections.counted(socket.flow(principal, context.requestId()), lease));
                        return extractOfferedWsProtocols(
                            offered ->
                                handleWebSocketMessagesForOptionalProtocol(
                                    flow, offered.contains(PROTOCOL) ? Optional.of(PROTOCOL) : Optional.empty()));
                      });
                }));
  }

  /** When the request's credential ends (asked once, as the connection opens). */
  private CompletionStage<Optional<Instant>> endOf(HttpRequest request) {
    return RequestContexts.authenticatedOf(request)
        .map(live::endOf)
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }

  private Route using(Function<Principal, Route> inner) {
    return support.requirePermission(USE, () -> support.withPrincipal(inner));
  }

  private Route administering(Function<Principal, Route> inner) {
    return support.requirePermission(ADMIN, () -> support.withPrincipal(inner));
  }

  /**
   * Answers every rejection under {@code /rooms} as a problem, but only there: a string path
   * matcher matches a segment's prefix, and {@code /rooms-report} belongs to someone else.
   */
  private Route wholeSegment(Supplier<Route> inner) {
    return extractUnmatchedPath(
        rest -> rest.isEmpty() || rest.startsWith("/") ? support.answered(inner) : reject());
  }
}
