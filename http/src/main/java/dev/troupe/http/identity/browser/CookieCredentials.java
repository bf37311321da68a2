package dev.troupe.http.identity.browser;

import dev.troupe.actors.identity.Identity;
import dev.troupe.actors.identity.TokenAuthentication;
import dev.troupe.http.context.AuthMethod;
import dev.troupe.http.context.Authenticated;
import dev.troupe.http.context.CredentialReader;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The browser session cookie ({@link BrowserCookies}), read only when the request has no {@code
 * Authorization} header. The cookie holds an access token, verified like a bearer token (so
 * revocation applies at once). A request other than GET/HEAD/OPTIONS must echo the CSRF cookie in
 * {@code X-CSRF-Token}, else 403 ({@code "reason":"csrf"}).
 *
 * <p>{@link Authenticated#expiresAt()} is empty, as for bearer tokens: a live connection opened with
 * the cookie (same-origin {@code EventSource}) asks its session's end once as it opens ({@link
 * LiveSessions#endOf}) and closes then, or when the session is revoked. Such a stream must come from
 * the same origin ({@link SameOriginStreams}).
 */
public final class CookieCredentials implements CredentialReader {

  private final BrowserCookies cookies;
  private final TokenAuthentication authentication;

  public CookieCredentials(ActorSystem<?> system) {
    this.cookies = BrowserCookies.from(system);
    this.authentication = Identity.get(system).authentication();
  }

  @Override
  public Optional<CompletionStage<Authenticated>> read(HttpRequest request) {
    if (request.getHeader("Authorization").isPresent()) {
      return Optional.empty();
    }
    return cookies.session(request).map(token -> authenticate(request, token));
  }

  private CompletionStage<Authenticated> authenticate(HttpRequest request, String token) {
    if (!safe(request.method()) && !cookies.csrfMatches(request)) {
      return CompletableFuture.failedFuture(csrfRefused());
    }
    return authentication
        .authenticate(token)
        .thenApply(principal -> new Authenticated(principal, AuthMethod.COOKIE, Optional.empty()));
  }

  static boolean safe(HttpMethod method) {
    return method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD) || method.equals(HttpMethods.OPTIONS);
  }

  public static ProblemException csrfRefused() {
    return new ProblemException(
        ProblemCode.FORBIDDEN,
        "a request authenticated by the session cookie must send X-CSRF-Token equal to the troupe_csrf cookie",
        Map.of("reason", "csrf"));
  }
}
