package dev.troupe.http;

import com.typesafe.config.Config;
import dev.troupe.http.cache.CacheRoutes;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.extension.TroupeExtension;
import dev.troupe.http.identity.AuthRoutes;
import dev.troupe.http.identity.OrgRoutes;
import dev.troupe.http.identity.SessionRoutes;
import dev.troupe.http.identity.apikey.ApiKeyCredentials;
import dev.troupe.http.identity.apikey.ApiKeyRoutes;
import dev.troupe.http.identity.browser.CookieCredentials;
import dev.troupe.http.identity.browser.TicketCredentials;
import dev.troupe.http.identity.browser.TicketRoutes;
import dev.troupe.http.json.JsonSupport;
import dev.troupe.http.problem.Problem;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemHandlers;
import dev.troupe.http.problem.ProblemResponses;
import dev.troupe.http.rooms.BearerProtocol;
import dev.troupe.http.rooms.ClientScript;
import dev.troupe.http.rooms.RoomRoutes;
import dev.troupe.http.routes.AuditRoutes;
import dev.troupe.http.routes.ClusterRoutes;
import dev.troupe.http.routes.HealthRoutes;
import dev.troupe.http.security.SecurityEdge;
import dev.troupe.persistence.audit.AuditRenderer;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The one root route of a node. Around every resource route it sets {@code X-Request-Id}, logs
 * access, turns every failure and rejection into {@code application/problem+json}, limits body
 * size, and authenticates (all but health checks, login, refresh and the public keys), so resource
 * routes do none of that themselves.
 */
public final class RootRoute extends AllDirectives {

  private final Route resources;
  private final Route publicRoutes;
  private final HealthRoutes health;
  private final RequestContexts contexts;
  private final ProblemHandlers problems;
  private final ProblemResponses responses;
  private final AccessLog accessLog;
  private final long maxBodyBytes;
  private final long retryAfterSeconds;
  private final SecurityEdge edge;

  public RootRoute(ActorSystem<?> system, List<TroupeExtension> extensions) {
    Config config = system.settings().config().getConfig("troupe.http");
    JsonSupport json = new JsonSupport(system);
    this.contexts =
        new RequestContexts(
            RequestContexts.authenticatorFrom(system),
            List.of(new ApiKeyCredentials(system), new TicketCredentials(system), new CookieCredentials(system)));
    this.retryAfterSeconds = Math.max(1, config.getDuration("retry-after").toSeconds());
    this.responses = new ProblemResponses(json.mapper());
    this.edge = new SecurityEdge(system, responses);
    this.problems = new ProblemHandlers(responses, retryAfterSeconds);
    this.accessLog = new AccessLog(config.getBoolean("access-log"));
    this.maxBodyBytes = config.getBytes("max-body-size");
    this.health = new HealthRoutes(system, json);
    RouteSupport support = new RouteSupport(system, json, contexts, problems.rejections());
    AuthRoutes auth = new AuthRoutes(support);
    this.publicRoutes =
        concat(
            health.route(),
            auth.publicRoute(),
            new ClientScript().route(),
            concat(reject(), extensions.stream().map(e -> e.publicRoutes(support)).toArray(Route[]::new)));
    List<Route> more = new ArrayList<>();
    more.add(auth.route());
    more.add(new TicketRoutes(support).route());
    more.add(new ApiKeyRoutes(support).route());
    more.add(new SessionRoutes(support).route());
    more.add(new OrgRoutes(support).route());
    more.add(new AuditRoutes(support, new AuditRenderer()).route());
    more.add(new CacheRoutes(support).route());
    more.add(new RoomRoutes(support).route());
    for (TroupeExtension extension : extensions) {
      more.add(extension.routes(support));
    }
    this.resources = concat(new ClusterRoutes(support).route(), more.toArray(Route[]::new));
  }

  public Route route() {
    return extractRequest(
        request -> {
          String requestId = RequestContexts.requestIdOf(request);
          return mapRequest(
              r -> r.addAttribute(RequestContexts.REQUEST_ID, requestId),
              () ->
                  respondWithHeader(
                      RawHeader.create(RequestContexts.REQUEST_ID_HEADER, requestId),
                      () -> accessLog.around(requestId, () -> edge.outer(() -> guarded(requestId)))));
        });
  }

  /** Everything inside answers problems, never a stack trace, a hang or an unlimited body. */
  private Route guarded(String requestId) {
    return withRequestTimeoutResponse(
        timedOut -> timeoutResponse(requestId),
        () ->
            handleExceptions(
                problems.exceptions(),
                () ->
                    handleRejections(
                        problems.rejections(),
                        () ->
                            withSizeLimit(
                                maxBodyBytes,
                                () ->
                                    concat(
                                        publicRoutes,
                                        mapRequest(
                                            BearerProtocol::authorize,
                                            () ->
                                                contexts.authenticated(
                                                    requestId, edge.afterAuthentication(() -> resources))))))));
  }

  private HttpResponse timeoutResponse(String requestId) {
    return responses.response(
        Problem.of(ProblemCode.UNAVAILABLE, "the request timed out; retry later").withRequestId(requestId),
        List.of(
            RetryAfter.create(retryAfterSeconds),
            RawHeader.create(RequestContexts.REQUEST_ID_HEADER, requestId)));
  }
}
