package dev.troupe.http.rooms;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.model.headers.HttpCredentials;

/**
 * Browsers cannot set headers on a WebSocket, so {@code GET /ws} also takes the bearer token as a
 * subprotocol entry: {@code new WebSocket(url, ["troupe.v1", "troupe.bearer." + token])}. This
 * turns that entry into the {@code Authorization} header authentication reads, for that path only
 * and only when the request has no {@code Authorization} of its own. The token never appears in a
 * URL (and so in no access log). The server answers the subprotocol {@code troupe.v1}, never the
 * token entry.
 *
 * <p>A page logged in with the session cookie has no token to put here: it opens {@code
 * /ws?ticket=} with a single-use ticket from {@code POST /auth/ws-ticket} instead (see {@code
 * identity.browser.TicketCredentials}); a request with this entry is authenticated by it, and any
 * ticket or cookie it also carries is ignored.
 */
public final class BearerProtocol {

  /** The prefix of the subprotocol entry that carries the token. */
  public static final String PREFIX = "troupe.bearer.";

  private static final String PATH = "/ws";

  private BearerProtocol() {}

  /** The request with the token of its subprotocol entry as {@code Authorization}, if it applies. */
  public static HttpRequest authorize(HttpRequest request) {
    if (!request.getUri().path().equals(PATH) || request.getHeader(Authorization.class).isPresent()) {
      return request;
    }
    return token(request)
        .map(token -> request.addHeader(Authorization.create(HttpCredentials.createOAuth2BearerToken(token))))
        .orElse(request);
  }

  private static Optional<String> token(HttpRequest request) {
    for (HttpHeader header : request.getHeaders()) {
      if (!header.is("sec-websocket-protocol")) {
        continue;
      }
      for (String entry : header.value().split(",")) {
        String protocol = entry.trim();
        if (protocol.startsWith(PREFIX) && protocol.length() > PREFIX.length()) {
          return Optional.of(protocol.substring(PREFIX.length()));
        }
      }
    }
    return Optional.empty();
  }
}
