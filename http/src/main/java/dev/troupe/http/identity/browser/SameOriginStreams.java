package dev.troupe.http.identity.browser;

import dev.troupe.http.context.AuthMethod;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * A live stream ({@code GET /ws}, room and audit SSE) opened with the session cookie must come from
 * the application's own pages. Opening one has side effects (joining a room shows the user's
 * presence and holds one of its connection slots), and a GET is exempt from the CSRF check, while
 * {@code SameSite=Lax} still sends the cookie on a cross-site top-level navigation. So, for such a
 * request, a browser's fetch metadata must not say otherwise: {@code Sec-Fetch-Mode: navigate} is
 * refused, and so is a {@code Sec-Fetch-Site} other than {@code same-origin} or {@code none} (403,
 * {@code "reason":"cross_site_stream"}). Clients that send no fetch metadata (not a browser) pass;
 * the WebSocket also checks {@code Origin}. Other credentials are not concerned.
 */
public final class SameOriginStreams {

  private SameOriginStreams() {}

  /** Refuses (403 problem) a cookie-authenticated live stream opened from another site or by navigation. */
  public static void check(HttpRequest request) {
    boolean byCookie =
        RequestContexts.authenticatedOf(request).map(a -> a.method() == AuthMethod.COOKIE).orElse(false);
    if (!byCookie) {
      return;
    }
    Optional<String> mode = header(request, "Sec-Fetch-Mode");
    if (mode.isPresent() && mode.get().equals("navigate")) {
      throw refused("a live stream authenticated by the session cookie cannot be opened by a navigation");
    }
    Optional<String> site = header(request, "Sec-Fetch-Site");
    if (site.isPresent() && !site.get().equals("same-origin") && !site.get().equals("none")) {
      throw refused("a live stream authenticated by the session cookie must be opened by the same origin");
    }
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(h -> h.value().trim().toLowerCase(Locale.ROOT));
  }

  private static ProblemException refused(String detail) {
    return new ProblemException(ProblemCode.FORBIDDEN, detail, Map.of("reason", "cross_site_stream"));
  }
}
