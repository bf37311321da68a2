package dev.troupe.http.identity;

import dev.troupe.actors.identity.Identity;
import dev.troupe.actors.identity.LoginAttempt;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.identity.IdentityJson.LoginRequest;
import dev.troupe.http.identity.IdentityJson.RefreshRequest;
import dev.troupe.http.identity.IdentityJson.RotatedKey;
import dev.troupe.http.identity.IdentityJson.TokenResponse;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Logging in and out:
 *
 * <ul>
 *   <li>{@code POST /auth/login} {@code {"username","password","org"?,"device"?}}: 200 with tokens;
 *       401 for wrong credentials; 429 with {@code Retry-After} while backed off or locked.
 *   <li>{@code POST /auth/refresh} {@code {"refresh_token"}}: a new pair; the old refresh token
 *       stops working, and presenting it again revokes the session.
 *   <li>{@code POST /auth/logout}: ends the caller's session (204).
 *   <li>{@code GET /.well-known/jwks.json}: the public keys that verify access tokens.
 *   <li>{@code POST /auth/keys/rotate}: a new signing key now (sys-admin).
 * </ul>
 *
 * Login, refresh and the key set are public; the rest needs a bearer token.
 */
public final class AuthRoutes extends AllDirectives {

  private final RouteSupport support;
  private final Identity identity;

  public AuthRoutes(RouteSupport support) {
    this.support = support;
    this.identity = Identity.get(support.system());
  }

  /** The routes that take no token. */
  public Route publicRoute() {
    return concat(
        pathPrefix(
            "auth",
            () ->
                concat(
                    path("login", () -> support.answered(() -> post(this::login))),
                    path("refresh", () -> support.answered(() -> post(this::refresh))))),
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
                                                    done -> complete(StatusCodes.NO_CONTENT)))))),
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
        support.json().unmarshaller(LoginRequest.class),
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
                                    tokens -> completeOK(TokenResponse.of(tokens), support.json().marshaller()))))));
  }

  private Route refresh() {
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

  /** Token responses must never be cached by anyone. */
  private Route noStore(Route inner) {
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_STORE), () -> inner);
  }

  private Route requestId(java.util.function.Function<String, Route> inner) {
    return attribute(RequestContexts.REQUEST_ID, inner);
  }

  /**
   * The peer's address. {@code X-Forwarded-For} is not trusted here: the hardening issue adds a
   * list of trusted proxies.
   */
  static String clientIp(HttpRequest request) {
    return request
        .getAttribute(AttributeKeys.remoteAddress)
        .flatMap(address -> address.getAddress().map(a -> a.getHostAddress()))
        .orElse("unknown");
  }

  private static String bounded(String value, int max) {
    if (value == null) {
      return "";
    }
    return value.length() <= max ? value : value.substring(0, max);
  }
}
