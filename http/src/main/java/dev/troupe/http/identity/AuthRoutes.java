package dev.troupe.http.identity;

import dev.troupe.actors.identity.Identity;
import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.IssuedTokens;
import dev.troupe.actors.identity.LoginAttempt;
import dev.troupe.cluster.StageFailures;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.identity.browser.BrowserCookies;
import dev.troupe.http.identity.browser.BrowserJson.CookieSession;
import dev.troupe.http.identity.browser.BrowserJson.LoginBody;
import dev.troupe.http.identity.browser.CookieCredentials;
import dev.troupe.http.identity.IdentityJson.RefreshRequest;
import dev.troupe.http.identity.IdentityJson.RotatedKey;
import dev.troupe.http.identity.IdentityJson.TokenResponse;
import dev.troupe.http.problem.Problem;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemResponses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Logging in and out:
 *
 * <ul>
 *   <li>{@code POST /auth/login} {@code {"username","password","org"?,"device"?,"cookie"?}}: 200
 *       with tokens; 401 for wrong credentials; 429 with {@code Retry-After} while backed off or
 *       locked. With {@code "cookie": true} the tokens go into HttpOnly cookies instead of the
 *       body, with a CSRF cookie ({@link BrowserCookies}); the body says {@code "token_type":
 *       "cookie"}, {@code expires_in}, {@code csrf_token} and {@code session_id}.
 *   <li>{@code POST /auth/refresh} {@code {"refresh_token"}}: a new pair; the old refresh token
 *       stops working, and presenting it again revokes the session. With the refresh cookie (and
 *       {@code X-CSRF-Token}, else 403) and no body token, it renews the cookies instead.
 *   <li>{@code POST /auth/logout}: ends the caller's session (204) and clears the cookies. A browser
 *       (no {@code Authorization}, {@code X-CSRF-Token} echoing the CSRF cookie, else 403) is
 *       logged out by its session cookie or, once that has expired, by its refresh cookie; when
 *       neither holds, the answer is 401 and the cookies are cleared all the same.
 *   <li>{@code GET /.well-known/jwks.json}: the public keys that verify access tokens.
 *   <li>{@code POST /auth/keys/rotate}: a new signing key now (sys-admin).
 * </ul>
 *
 * Login, refresh, the key set and a browser's logout are public; the rest needs a bearer token.
 */
public final class AuthRoutes extends AllDirectives {

  private final RouteSupport support;
  private final Identity identity;
  private final BrowserCookies cookies;
  private final ProblemResponses problems;

  public AuthRoutes(RouteSupport support) {
    this.support = support;
    this.identity = Identity.get(support.system());
    this.cookies = BrowserCookies.from(support.system());
    this.problems = new ProblemResponses(support.json().mapper());
  }

  /** The routes that take no token. */
  public Route publicRoute() {
    return concat(
        pathPrefix(
            "auth",
            () ->
                concat(
                    path("login", () -> support.answered(() -> post(this::login))),
                    path("refresh", () -> support.answered(() -> post(this::refresh))),
                    // Not answered here: a bearer logout falls through to the authenticated route.
                    path("logout", () -> post(this::cookieLogout)))),
        path(
            PathMatchers.segment(".well-known").slash("jwks.json"),
            () ->
                support.answered(
                    () -> get(() -> completeOK(identity.publicKeys(), support.json().marshaller())))));
  }

  /** The routes that need a token. */
  public Route route() {
    return pathPrefix(
        "auth",
        () ->
            concat(
                path(
                    "logout",
                    () ->
                        post(
                            () ->
                                support.withPrincipal(
                                    principal ->
                                        requestId(
                                            id ->
                                                onSuccess(
                                                    identity.logins().logout(principal, id),
                                                    done ->
                                                        setCookie(
                                                            cookies.cleared(),
                                                            () -> complete(StatusCodes.NO_CONTENT))))))),
                path(
                    PathMatchers.segment("keys").slash("rotate"),
                    () ->
                        post(
                            () ->
                                support.withPrincipal(
                                    principal ->
                                        requestId(
                                            id ->
                                                onSuccess(
                                                    identity.rotateKeys(principal, id),
                                                    kid ->
                                                        completeOK(
                                                            new RotatedKey(kid),
                                                            support.json().marshaller()))))))));
  }

  private Route login() {
    return entity(
        support.json().unmarshaller(LoginBody.class),
        body ->
            extractRequest(
                request ->
                    requestId(
                        id ->
                            noStore(
                                onSuccess(
                                    identity
                                        .logins()
                                        .login(
                                            new LoginAttempt(
                                                body.username(),
                                                body.password(),
                                                body.org(),
                                                bounded(body.device(), 128),
                                                clientIp(request),
                                                bounded(
                                                    request.getHeader("User-Agent").map(HttpHeader::value).orElse(""),
                                                    256),
                                                id)),
                                    tokens -> issued(tokens, body.cookieMode()))))));
  }

  /** Tokens in the body, or (cookie mode) in cookies with only their metadata in the body. */
  private Route issued(IssuedTokens tokens, boolean cookieMode) {
    if (!cookieMode) {
      return completeOK(TokenResponse.of(tokens), support.json().marshaller());
    }
    String csrf = BrowserCookies.newCsrf();
    return setCookie(
        cookies.issued(tokens.accessToken(), tokens.expiresIn(), tokens.refreshToken(), csrf),
        () ->
            completeOK(
                CookieSession.of(tokens.expiresIn(), csrf, tokens.sessionId()), support.json().marshaller()));
  }

  /** The refresh cookie (with the CSRF echo) when present and no Authorization, else the body. */
  private Route refresh() {
    return extractRequest(
        request -> {
          var refreshCookie = cookies.refresh(request);
          if (refreshCookie.isEmpty() || request.getHeader("Authorization").isPresent()) {
            return bodyRefresh();
          }
          if (!cookies.csrfMatches(request)) {
            throw CookieCredentials.csrfRefused();
          }
          return requestId(
              id ->
                  noStore(
                      onSuccess(
                          identity.logins().refresh(refreshCookie.get(), id),
                          tokens -> issued(tokens, true))));
        });
  }

  private Route bodyRefresh() {
    return entity(
        support.json().unmarshaller(RefreshRequest.class),
        body ->
            requestId(
                id ->
                    noStore(
                        onSuccess(
                            identity.logins().refresh(body.refreshToken(), id),
                            tokens -> completeOK(TokenResponse.of(tokens), support.json().marshaller())))));
  }

  /**
   * {@code POST /auth/logout} from a browser: claimed only without {@code Authorization} and with
   * one of the session cookies. The session ends by the session cookie if it still holds, else by
   * the refresh cookie (rotated once to prove it, then the session is revoked), so a tab idle past
   * the access token's life still logs out. The cookies are cleared on success and on 401.
   */
  private Route cookieLogout() {
    return extractRequest(
        request -> {
          var session = cookies.session(request);
          var refreshCookie = cookies.refresh(request);
          if (request.getHeader("Authorization").isPresent() || (session.isEmpty() && refreshCookie.isEmpty())) {
            return reject();
          }
          if (!cookies.csrfMatches(request)) {
            throw CookieCredentials.csrfRefused();
          }
          return requestId(
              id ->
                  onComplete(
                      cookieSession(session, refreshCookie, id).thenCompose(p -> identity.logins().logout(p, id)),
                      result -> {
                        if (result.isSuccess()) {
                          return setCookie(cookies.cleared(), () -> complete(StatusCodes.NO_CONTENT));
                        }
                        Throwable cause = StageFailures.unwrap(result.failed().get());
                        if (cause instanceof IdentityException refused
                            && refused.kind() == IdentityException.Kind.UNAUTHENTICATED) {
                          return complete(loggedOutAnyway(id));
                        }
                        return failWith(cause);
                      }));
        });
  }

  /** Who the cookies speak for: the session cookie's principal, else the refresh cookie's. */
  private CompletionStage<Principal> cookieSession(
      Optional<String> session, Optional<String> refreshCookie, String requestId) {
    CompletionStage<Principal> bySession =
        session
            .map(token -> identity.authentication().authenticate(token))
            .orElseGet(() -> CompletableFuture.failedFuture(IdentityException.unauthenticated()));
    if (refreshCookie.isEmpty()) {
      return bySession;
    }
    return bySession
        .toCompletableFuture()
        .exceptionallyCompose(
            e ->
                identity
                    .logins()
                    .refresh(refreshCookie.get(), requestId)
                    .thenCompose(tokens -> identity.authentication().authenticate(tokens.accessToken())));
  }

  /** 401 for cookies that no longer name a session, clearing them so the browser forgets them. */
  private HttpResponse loggedOutAnyway(String requestId) {
    List<HttpHeader> headers = new ArrayList<>();
    cookies.cleared().forEach(cookie -> headers.add(SetCookie.create(cookie)));
    headers.add(RawHeader.create("WWW-Authenticate", "Bearer realm=\"troupe\""));
    return problems.response(
        Problem.of(ProblemCode.UNAUTHENTICATED, "the session has already ended").withRequestId(requestId), headers);
  }

  /** Token responses must never be cached by anyone. */
  private Route noStore(Route inner) {
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_STORE), () -> inner);
  }

  private Route requestId(java.util.function.Function<String, Route> inner) {
    return attribute(RequestContexts.REQUEST_ID, inner);
  }

  /**
   * The client's address as the edge resolved it: the peer, or behind a trusted proxy the
   * forwarded address ({@link dev.troupe.http.security.ClientAddress}).
   */
  static String clientIp(HttpRequest request) {
    return dev.troupe.http.security.ClientAddress.of(request);
  }

  private static String bounded(String value, int max) {
    if (value == null) {
      return "";
    }
    return value.length() <= max ? value : value.substring(0, max);
  }
}
