package dev.troupe.http.security;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Which browser origins may talk to this node: the allowlist ({@code cors.allowed-origins}, exact
 * {@code scheme://host[:port]}) and the request's own origin (the {@code Origin} naming the host
 * the request was sent to, default ports folded).
 */
final class Origins {

  private final Set<String> allowed;

  Origins(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /** The request's {@code Origin}, lower case; {@code null} ("null" origin) counts as present. */
  static Optional<String> of(HttpRequest request) {
    return request
        .getHeader("Origin")
        .map(HttpHeader::value)
        .map(v -> v.trim().toLowerCase(Locale.ROOT));
  }

  /** No origin is allowlisted: only same-origin browsers talk to this node. */
  boolean isEmpty() {
    return allowed.isEmpty();
  }

  boolean isAllowlisted(String origin) {
    return allowed.contains(origin);
  }

  /** Allowlisted, or the request's own origin. */
  boolean isAcceptable(String origin, HttpRequest request) {
    return isAllowlisted(origin) || isSameOrigin(origin, request);
  }

  /**
   * The authority of the request's (absolute) URI: over HTTP/2 there is no {@code Host} header,
   * only {@code :authority}, which Pekko puts into the URI.
   */
  private static Optional<String> authority(HttpRequest request) {
    String host = request.getUri().host().address();
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    int port = request.getUri().port();
    String h = host.toLowerCase(Locale.ROOT);
    if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return Optional.of(port > 0 ? h + ":" + port : h);
  }

  /**
   * Whether the origin names the host (and port) the request was sent to, per its {@code Host}
   * header (or, without one, its URI's authority). The scheme is not compared: behind a
   * TLS-terminating proxy the node sees plain HTTP.
   */
  static boolean isSameOrigin(String origin, HttpRequest request) {
    Optional<String> host =
        request
            .getHeader("Host")
            .map(h -> h.value().trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .or(() -> authority(request));
    if (host.isEmpty()) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(origin);
    } catch (Exception e) {
      return false;
    }
    String scheme = uri.getScheme();
    if (uri.getHost() == null
        || scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))) {
      return false;
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
    String hostName;
    int hostPort;
    String h = host.get();
    int colon = h.lastIndexOf(':');
    if (colon > 0 && colon > h.lastIndexOf(']')) {
      hostName = h.substring(0, colon);
      try {
        hostPort = Integer.parseInt(h.substring(colon + 1));
      } catch (NumberFormatException e) {
        return false;
      }
    } else {
      hostName = h;
      hostPort = defaultPort;
    }
    return hostName.equals(uri.getHost().toLowerCase(Locale.ROOT)) && hostPort == originPort;
  }
}
