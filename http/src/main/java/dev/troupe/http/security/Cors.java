package dev.troupe.http.security;

import java.util.List;
import java.util.Locale;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * CORS by hand (pekko-http-cors is not available): an allowlisted {@code Origin} gets {@code
 * Access-Control-Allow-Origin} with itself (never {@code *}, credentials are allowed), {@code
 * -Credentials: true} and the exposed headers; any other origin gets no CORS header, so the browser
 * hides the response from its script. With a non-empty allowlist every response depends on the
 * {@code Origin}, so every response says {@code Vary: Origin} ({@link #vary}), with or without an
 * Origin, allowlisted or not: a shared cache must not serve one origin's answer to another.
 */
final class Cors {

  static final String ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
  static final String ALLOW_HEADERS =
      "Authorization, Content-Type, X-CSRF-Token, Idempotency-Key, If-Match, If-None-Match,"
          + " Last-Event-ID, X-Request-Id";
  static final String EXPOSE_HEADERS = "Retry-After, X-Request-Id, ETag, Age, Idempotent-Replayed";

  private static final HttpHeader VARY_ORIGIN = RawHeader.create("Vary", "Origin");

  private final Origins origins;
  private final long maxAgeSeconds;

  Cors(Origins origins, long maxAgeSeconds) {
    this.origins = origins;
    this.maxAgeSeconds = maxAgeSeconds;
  }

  /**
   * The response with {@code Vary: Origin} when the answer depends on the Origin (a non-empty
   * allowlist) and no {@code Vary} of the response names it yet; unchanged otherwise.
   */
  HttpResponse vary(HttpResponse response) {
    if (origins.isEmpty()) {
      return response;
    }
    for (HttpHeader header : response.getHeaders()) {
      if (header.is("vary")) {
        String value = header.value().toLowerCase(Locale.ROOT);
        if (value.contains("origin") || value.trim().equals("*")) {
          return response;
        }
      }
    }
    return response.addHeader(VARY_ORIGIN);
  }

  /**
   * A CORS preflight: {@code OPTIONS} with {@code Origin} and {@code
   * Access-Control-Request-Method}.
   */
  static boolean isPreflight(HttpRequest request) {
    return request.method().equals(HttpMethods.OPTIONS)
        && request.getHeader("Origin").isPresent()
        && request.getHeader("Access-Control-Request-Method").isPresent();
  }

  /** GET, HEAD and OPTIONS change nothing (CSRF defence only looks at the others). */
  static boolean isSafe(HttpMethod method) {
    return method.equals(HttpMethods.GET)
        || method.equals(HttpMethods.HEAD)
        || method.equals(HttpMethods.OPTIONS);
  }

  boolean isAllowlisted(String origin) {
    return origins.isAllowlisted(origin);
  }

  /** The headers of the 204 answer to an allowlisted origin's preflight. */
  List<HttpHeader> preflight(String origin) {
    return List.of(
        RawHeader.create("Access-Control-Allow-Origin", origin),
        RawHeader.create("Access-Control-Allow-Credentials", "true"),
        RawHeader.create("Access-Control-Allow-Methods", ALLOW_METHODS),
        RawHeader.create("Access-Control-Allow-Headers", ALLOW_HEADERS),
        RawHeader.create("Access-Control-Max-Age", Long.toString(maxAgeSeconds)),
        RawHeader.create(
            "Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"));
  }

  /**
   * The headers of an actual response to an allowlisted origin ({@code Vary: Origin} comes from
   * {@link #vary}, as for every response).
   */
  List<HttpHeader> actual(String origin) {
    return List.of(
        RawHeader.create("Access-Control-Allow-Origin", origin),
        RawHeader.create("Access-Control-Allow-Credentials", "true"),
        RawHeader.create("Access-Control-Expose-Headers", EXPOSE_HEADERS));
  }
}
