package dev.troupe.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

  @Test
  void htmlGetsTheContentSecurityPolicyOthersDoNot() {
    SecurityHeaders headers = new SecurityHeaders(false, "max-age=1", "default-src 'self'");
    HttpResponse html =
        headers.decorate(HttpResponse.create().withEntity(ContentTypes.TEXT_HTML_UTF8, "<p>"));
    HttpResponse json =
        headers.decorate(HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, "{}"));
    assertThat(html.getHeader("Content-Security-Policy").map(h -> h.value()))
        .contains("default-src 'self'");
    assertThat(json.getHeader("Content-Security-Policy")).isEmpty();
    assertThat(json.getHeader("X-Content-Type-Options").map(h -> h.value())).contains("nosniff");
    assertThat(json.getHeader("Strict-Transport-Security")).isEmpty();
  }

  @Test
  void hstsOnlyWithTlsAndARouteHeaderIsKept() {
    SecurityHeaders headers = new SecurityHeaders(true, "max-age=31536000; includeSubDomains", "x");
    HttpResponse response =
        headers.decorate(
            HttpResponse.create().addHeader(RawHeader.create("X-Frame-Options", "SAMEORIGIN")));
    assertThat(response.getHeader("Strict-Transport-Security").map(h -> h.value()))
        .contains("max-age=31536000; includeSubDomains");
    assertThat(response.getHeaders()).filteredOn(h -> h.is("x-frame-options")).hasSize(1);
    assertThat(response.getHeader("X-Frame-Options").map(h -> h.value())).contains("SAMEORIGIN");
  }
}
