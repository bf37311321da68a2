package dev.troupe.http.routes;

import dev.troupe.http.RouteSupport;
import dev.troupe.http.context.Authenticated;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.identity.browser.LiveSessions;
import dev.troupe.http.identity.browser.SameOriginStreams;
import dev.troupe.http.identity.browser.TicketCredentials;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import dev.troupe.persistence.audit.AuditEvent;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.entity.EntityModel;
import dev.troupe.persistence.entity.EntityModels;
import dev.troupe.streams.audit.AuditRange;
import dev.troupe.streams.audit.AuditStreams;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The audit contract, for every entity type:
 *
 * <ul>
 *   <li>{@code GET /audit/{type}/{id}/events?fromSeq&toSeq&fromTime&toTime&limit}: a JSON page
 *       {@code {"events":[...],"next":seq|null}}; with {@code Accept: text/event-stream} the
 *       events as SSE, then new ones live (resumable with {@code Last-Event-ID}); with {@code
 *       Accept: application/x-ndjson} one JSON event per line ({@code follow=true} to go on live).
 *   <li>{@code GET /audit/{type}/{id}/state?atSeq=N | atTime=T}: the state folded up to that point.
 * </ul>
 *
 * Ids are scoped to the caller's org (a sys-admin may name another with {@code org}); only
 * sys-admins and org-admins read audit. Unknown type: 404; an id without events: an empty page.
 */
public final class AuditRoutes extends AllDirectives {

  static final ContentType.WithFixedCharset NDJSON =
      MediaTypes.customWithFixedCharset("application", "x-ndjson", HttpCharsets.UTF_8, Map.of(), true)
          .toContentType();

  /** The permission that opens audit streams (org-admins hold it; sys-admins hold every one). */
  public static final String AUDIT_READ = "audit.read";

  private final RouteSupport support;
  private final EntityModels models;
  private final AuditStreams streams;
  private final Duration heartbeat;
  private final LiveSessions live;

  public AuditRoutes(RouteSupport support, AuditRenderer renderer) {
    this.support = support;
    this.live = LiveSessions.get(support.system());
    this.models = EntityModels.get(support.system());
    this.streams = new AuditStreams(support.system(), renderer);
    this.heartbeat =
        support.system().settings().config().getDuration("troupe.streams.heartbeat-interval");
  }

  public Route route() {
    return pathPrefix(
        "audit",
        () ->
            pathPrefix(
                PathMatchers.segment().slash(PathMatchers.segment()),
                (type, id) ->
                    concat(
                        path("events", () -> get(() -> events(type, id))),
                        path("state", () -> get(() -> state(type, id))))));
  }

  private Route events(String type, String id) {
    return audited(
        (tenant, params) -> {
          EntityModel<?, ?> model = model(type);
          String persistenceId = EntityIds.persistenceId(type, ClusterRoutes.scopedId(tenant, id));
          AuditQuery query = AuditQuery.events(params);
          return extractRequest(
              request -> {
                String accept = request.getHeader("Accept").map(HttpHeader::value).orElse("");
                if (accept.contains("text/event-stream")) {
                  SameOriginStreams.check(request);
                  return onSuccess(
                      endOf(request),
                      end ->
                          resumed(query.range(), request)
                              .map(range -> sse(model, persistenceId, range, request, end))
                              .orElseGet(this::sseEnded));
                }
                if (accept.contains("application/x-ndjson")) {
                  if (!query.follow()) {
                    return ndjson(model, persistenceId, query, request, Optional.empty());
                  }
                  SameOriginStreams.check(request);
                  return onSuccess(endOf(request), end -> ndjson(model, persistenceId, query, request, end));
                }
                return onSuccess(
                    streams.page(model, persistenceId, query.range(), query.limit()),
                    page -> completeOK(page, support.json().marshaller()));
              });
        });
  }

  /**
   * When the caller's credential ends (asked once, as the stream opens; {@link LiveSessions#endOf}).
   */
  private CompletionStage<Optional<Instant>> endOf(HttpRequest request) {
    return RequestContexts.authenticatedOf(request)
        .map(live::endOf)
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }

  /** The stream ends when the caller's session is revoked, or at {@code end} ({@link LiveSessions}). */
  private <T> Source<T, NotUsed> tracked(HttpRequest request, Optional<Instant> end, Source<T, NotUsed> source) {
    Optional<Authenticated> authenticated = RequestContexts.authenticatedOf(request);
    if (authenticated.isEmpty()) {
      return source;
    }
    return live.track(authenticated.get().principal().sessionId(), end, source);
  }

  private Route sse(
      EntityModel<?, ?> model, String persistenceId, AuditRange range, HttpRequest request, Optional<Instant> end) {
    return onSuccess(
        streams.follow(model, persistenceId, range),
        events -> {
          Source<ServerSentEvent, NotUsed> sse =
              tracked(
                  request,
                  end,
                  events
                      .map(this::toServerSentEvent)
                      .keepAlive(heartbeat, ServerSentEvent::heartbeat));
          return completeOK(sse, EventStreamMarshalling.toEventStream());
        });
  }

  private Route ndjson(
      EntityModel<?, ?> model, String persistenceId, AuditQuery query, HttpRequest request, Optional<Instant> end) {
    var events =
        query.follow()
            ? streams.follow(model, persistenceId, query.range())
            : streams.current(model, persistenceId, query.range());
    return onSuccess(
        events,
        source -> {
          Source<ByteString, NotUsed> lines =
              tracked(request, end, source.map(event -> ByteString.fromString(support.json().write(event) + "\n")));
          return complete(HttpResponse.create().withEntity(HttpEntities.create(NDJSON, lines)));
        });
  }

  private Route state(String type, String id) {
    return audited(
        (tenant, params) -> {
          EntityModel<?, ?> model = model(type);
          String persistenceId = EntityIds.persistenceId(type, ClusterRoutes.scopedId(tenant, id));
          AuditQuery.Point point = AuditQuery.statePoint(params);
          var state =
              point instanceof AuditQuery.AtTime at
                  ? streams.stateAtTime(model, persistenceId, at.time())
                  : streams.stateAtSeq(model, persistenceId, ((AuditQuery.AtSeq) point).seq());
          return onSuccess(state, value -> completeOK(value, support.json().marshaller()));
        });
  }

  /**
   * Audit is for sys-admins and org-admins ({@code audit.read}). An org-admin reads its own org; a
   * sys-admin reads the org named by {@code org} (its own, {@code system}, by default). Another
   * org is a 404.
   */
  private Route audited(BiFunction<String, Map<String, String>, Route> inner) {
    return support.requirePermission(
        AUDIT_READ,
        () ->
            support.withPrincipal(
                principal ->
                    parameterMap(
                        params -> {
                          Map<String, String> rest = new HashMap<>(params);
                          String org = rest.remove("org");
                          // The SSE ticket was read (and spent) by authentication.
                          rest.remove(TicketCredentials.PARAMETER);
                          String tenant = org == null ? principal.org() : org;
                          if (!tenant.equals(principal.org()) && !principal.isSysAdmin()) {
                            throw new ProblemException(ProblemCode.NOT_FOUND, "org not found");
                          }
                          return inner.apply(tenant, rest);
                        })));
  }

  private EntityModel<?, ?> model(String type) {
    return models
        .find(type)
        .orElseThrow(
            () -> new ProblemException(ProblemCode.NOT_FOUND, "unknown entity type '" + type + "'"));
  }

  /** A client that already saw the whole range gets an SSE stream that ends at once. */
  private Route sseEnded() {
    return completeOK(Source.<ServerSentEvent>empty(), EventStreamMarshalling.toEventStream());
  }

  /**
   * SSE clients reconnect with the last id they saw: resume right after it. Empty when that id is
   * already at or past the end of the range, so no event is sent twice.
   */
  private static Optional<AuditRange> resumed(AuditRange range, HttpRequest request) {
    Optional<Long> lastSeen =
        request.getHeader("Last-Event-ID").flatMap(h -> parseSeq(h.value()));
    if (lastSeen.isEmpty() || lastSeen.get() + 1 <= range.fromSeq()) {
      return Optional.of(range);
    }
    if (lastSeen.get() >= range.toSeq()) {
      return Optional.empty();
    }
    return Optional.of(
        new AuditRange(lastSeen.get() + 1, range.toSeq(), range.fromTime(), range.toTime()));
  }

  private static Optional<Long> parseSeq(String value) {
    try {
      long seq = Long.parseLong(value.trim());
      return seq >= 0 && seq < Long.MAX_VALUE ? Optional.of(seq) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private ServerSentEvent toServerSentEvent(AuditEvent event) {
    return ServerSentEvent.create(
        support.json().write(event),
        Optional.of(event.type()),
        Optional.of(Long.toString(event.seq())),
        OptionalInt.empty());
  }
}
