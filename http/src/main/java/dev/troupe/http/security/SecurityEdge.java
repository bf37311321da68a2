package dev.troupe.http.security;

import dev.troupe.http.context.Authenticated;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.problem.Problem;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemResponses;
import dev.troupe.http.security.RateLimitSettings.Group;
import dev.troupe.http.security.RateLimitSettings.Limit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The protections every request passes through at the root route.
 *
 * <p>{@link #outer} wraps the whole route (inside the request id, outside problem handling so
 * rejections, 401s, 429s and request timeouts get the headers too), in this order: the client
 * address (trusted proxies, stored for {@link ClientAddress#of}); security headers and CORS headers
 * on whatever answer comes out; the per-IP rate limit of the path's group (before authentication,
 * so login is covered; an IPv6 client is limited per /64); CORS preflight (answered 204 to an
 * allowlisted origin, 403 otherwise); a state-changing request from a foreign {@code Origin}
 * refused 403. {@link #afterAuthentication} wraps the authenticated resource routes: per-principal
 * and per-API-key limits (an API key is limited as a key however it authenticated, also through a
 * WebSocket ticket issued to it). With a non-empty CORS allowlist every response carries {@code
 * Vary: Origin}.
 *
 * <p>With {@code troupe.http.protections.enabled = off} (benchmarks only) both are pass-through.
 */
public final class SecurityEdge extends AllDirectives {

  private final Protections protections;
  private final ProblemResponses problems;

  /** {@code problems} renders its refusals (403, 429) like every other problem of the node. */
  public SecurityEdge(ActorSystem<?> system, ProblemResponses problems) {
    this.protections = Protections.get(system);
    this.problems = problems;
  }

  public Route outer(Supplier<Route> inner) {
    if (!protections.enabled()) {
      return inner.get();
    }
    return extractRequest(
        request -> {
          String client = protections.clientAddress().resolve(request);
          Optional<String> origin = Origins.of(request);
          boolean preflight = Cors.isPreflight(request);
          List<HttpHeader> cors =
              origin
                  .filter(o -> !preflight && protections.cors().isAllowlisted(o))
                  .map(protections.cors()::actual)
                  .orElse(List.of());
          UnaryOperator<HttpResponse> decoration =
              response ->
                  decorate(
                      protections
                          .cors()
                          .vary(cors.isEmpty() ? response : response.addHeaders(cors)));
          return mapResponse(
              decoration::apply,
              () ->
                  mapRequest(
                      r ->
                          TimeoutResponses.decorated(
                              r.addAttribute(ClientAddress.ATTRIBUTE, client), decoration),
                      () -> guard(request, client, origin, preflight, inner)));
        });
  }

  public Route afterAuthentication(Supplier<Route> inner) {
    if (!protections.enabled()) {
      return inner.get();
    }
    return extractRequest(
        request -> {
          Optional<Authenticated> authenticated = RequestContexts.authenticatedOf(request);
          if (authenticated.isEmpty()) {
            return inner.get();
          }
          RateLimits.Subject subject = RateLimits.Subject.of(authenticated.get().principal());
          Group group = protections.settings().rateLimits().groupOf(request.getUri().path());
          Optional<Limit> limit =
              subject.kind() == RateLimits.Kind.KEY ? group.perApiKey() : group.perPrincipal();
          if (limit.isPresent()) {
            long wait =
                protections
                    .rateLimits()
                    .acquire(group.name(), subject.kind(), subject.id(), limit.get());
            if (wait > 0) {
              return complete(
                  tooMany(
                      request,
                      wait,
                      subject.kind() == RateLimits.Kind.KEY ? "this API key" : "this user"));
            }
          }
          return inner.get();
        });
  }

  /** Adds the security headers to a response (none when the protections are off). */
  public HttpResponse decorate(HttpResponse response) {
    return protections.enabled() ? protections.headers().decorate(response) : response;
  }

  private Route guard(
      HttpRequest request,
      String client,
      Optional<String> origin,
      boolean preflight,
      Supplier<Route> inner) {
    Group group = protections.settings().rateLimits().groupOf(request.getUri().path());
    if (group.perIp().isPresent()) {
      long wait =
          protections
              .rateLimits()
              .acquire(
                  group.name(),
                  RateLimits.Kind.IP,
                  ClientAddress.rateKey(client),
                  group.perIp().get());
      if (wait > 0) {
        return complete(tooMany(request, wait, "this address"));
      }
    }
    if (preflight) {
      if (protections.cors().isAllowlisted(origin.get())) {
        return complete(
            HttpResponse.create()
                .withStatus(StatusCodes.NO_CONTENT)
                .addHeaders(protections.cors().preflight(origin.get())));
      }
      return complete(
          problem(
              request,
              ProblemCode.FORBIDDEN,
              "this origin may not make cross-origin requests",
              List.of()));
    }
    if (origin.isPresent()
        && !Cors.isSafe(request.method())
        && !protections.origins().isAcceptable(origin.get(), request)) {
      return complete(
          problem(
              request,
              ProblemCode.FORBIDDEN,
              "requests from this Origin are not allowed",
              List.of()));
    }
    return inner.get();
  }

  private HttpResponse tooMany(HttpRequest request, long waitNanos, String who) {
    long seconds = RateLimits.retryAfterSeconds(waitNanos);
    return problem(
        request,
        ProblemCode.TOO_MANY_REQUESTS,
        "too many requests from " + who + "; retry in " + seconds + " s",
        List.of(RetryAfter.create(seconds)));
  }

  private HttpResponse problem(
      HttpRequest request, ProblemCode code, String detail, List<HttpHeader> headers) {
    Problem problem = Problem.of(code, detail);
    Optional<String> requestId = request.getAttribute(RequestContexts.REQUEST_ID);
    return problems.response(requestId.map(problem::withRequestId).orElse(problem), headers);
  }
}
