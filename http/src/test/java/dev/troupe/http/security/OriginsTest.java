package dev.troupe.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.junit.jupiter.api.Test;

class OriginsTest {

  private final Origins origins = new Origins(Set.of("https://app.example"));

  private static HttpRequest to(String host) {
    return HttpRequest.create("/ws").addHeader(RawHeader.create("Host", host));
  }

  @Test
  void allowlistedOrSameHostOriginsAreAcceptable() {
    assertThat(origins.isAcceptable("https://app.example", to("api.example"))).isTrue();
    assertThat(origins.isAcceptable("http://api.example:8080", to("api.example:8080"))).isTrue();
    assertThat(origins.isAcceptable("https://api.example", to("api.example"))).isTrue();
    assertThat(origins.isAcceptable("https://api.example", to("api.example:443"))).isTrue();
  }

  @Test
  void withoutAHostHeaderTheUriAuthorityCounts() {
    HttpRequest h2 = HttpRequest.create("https://api.example:8443/ws");
    assertThat(origins.isAcceptable("https://api.example:8443", h2)).isTrue();
    assertThat(origins.isAcceptable("https://evil.example:8443", h2)).isFalse();
  }

  @Test
  void foreignOriginsAreNot() {
    assertThat(origins.isAcceptable("https://evil.example", to("api.example"))).isFalse();
    assertThat(origins.isAcceptable("https://app.example.evil", to("api.example"))).isFalse();
    assertThat(origins.isAcceptable("http://api.example:8081", to("api.example:8080"))).isFalse();
    assertThat(origins.isAcceptable("null", to("api.example"))).isFalse();
    assertThat(origins.isAcceptable("file://api.example", to("api.example"))).isFalse();
    assertThat(origins.isAcceptable("https://api.example", HttpRequest.create("/ws"))).isFalse();
    assertThat(origins.isAcceptable("http://api.example", to("api.example:8080"))).isFalse();
  }
}
