package dev.troupe.http.security;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * The headers every response carries: {@code X-Content-Type-Options: nosniff}, {@code
 * X-Frame-Options: DENY}, {@code Referrer-Policy: no-referrer}; {@code Strict-Transport-Security}
 * when TLS is on; the configured {@code Content-Security-Policy} on HTML pages. A header the route
 * already set is kept. {@code Cache-Control} is left to the routes (cache routes set their own).
 *
 * <p>Not covered: error answers Pekko's parser writes before any route runs (400 for an unparsable
 * request, 431 for oversize headers); they are short plain-text errors.
 */
final class SecurityHeaders {

  private final List<HttpHeader> always;
  private final HttpHeader csp;

  SecurityHeaders(boolean hsts, String hstsValue, String contentSecurityPolicy) {
    List<HttpHeader> headers = new ArrayList<>();
    headers.add(RawHeader.create("X-Content-Type-Options", "nosniff"));
    headers.add(RawHeader.create("X-Frame-Options", "DENY"));
    headers.add(RawHeader.create("Referrer-Policy", "no-referrer"));
    if (hsts) {
      headers.add(RawHeader.create("Strict-Transport-Security", hstsValue));
    }
    this.always = List.copyOf(headers);
    this.csp = RawHeader.create("Content-Security-Policy", contentSecurityPolicy);
  }

  HttpResponse decorate(HttpResponse response) {
    List<HttpHeader> add = new ArrayList<>(always.size() + 1);
    for (HttpHeader header : always) {
      if (response.getHeader(header.name()).isEmpty()) {
        add.add(header);
      }
    }
    if (response.entity().getContentType().mediaType().equals(MediaTypes.TEXT_HTML)
        && response.getHeader(csp.name()).isEmpty()) {
      add.add(csp);
    }
    return add.isEmpty() ? response : response.addHeaders(add);
  }
}
