package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.RoomsFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.TestHttp;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge protections that depend on how a request was authenticated: the per-API-key rate limit
 * (API keys) and the WebSocket Origin rule for cookie sessions.
 */
class EdgeCredentialsHttpIT {

  @TempDir static Path dataDir;

  private static RoomsFixture fixture;
  private static RoomsFixture.Tenant t;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        RoomsFixture.h2(
            dataDir,
            ConfigFactory.parseString(
                """
                troupe.http.protections.rate-limits {
                  paths { "/sessions" = tight }
                  tight {
                    per-principal { rate = 0.2, burst = 10 }
                    per-api-key { rate = 0.2, burst = 3 }
                  }
                }
                """));
    t = fixture.tenant("edge-cred");
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void anApiKeyPastItsLimitGets429() {
    TestHttp.Response project =
        t.boss().postJson("/orgs/" + t.org() + "/projects", "{\"name\":\"edge\"}");
    assertThat(project.status()).as("%s", project).isIn(200, 201);
    TestHttp.Response created =
        t.boss()
            .postJson(
                "/orgs/" + t.org() + "/projects/edge/api-keys",
                "{\"name\":\"flood\",\"scopes\":{\"routes\":[\"GET"
                    + " /sessions\"],\"rooms\":[],\"namespaces\":[]}}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String key = created.json().path("key").asText();
    List<Integer> statuses = new ArrayList<>();
    TestHttp.Response limited = null;
    for (int i = 0; i < 10 && limited == null; i++) {
      TestHttp.Response response =
          fixture.anonymous.get("/sessions", "Authorization", "ApiKey " + key);
      statuses.add(response.status());
      if (response.status() == 429) {
        limited = response;
      }
    }
    assertThat(limited).as("statuses %s", statuses).isNotNull();
    assertThat(statuses).hasSize(4);
    assertThat(statuses.subList(0, 3)).doesNotContain(429);
    assertProblem(limited, 429, "too_many_requests");
    assertThat(limited.json().path("detail").asText()).contains("this API key");
    assertThat(limited.header("Retry-After")).isPresent();
    // the key's creator is a different bucket
    assertThat(t.boss().get("/sessions").status()).isEqualTo(200);
  }

  @Test
  void aCookieSessionsWebSocketNeedsAnAcceptableOrigin() {
    TestHttp.Response login =
        fixture.anonymous.postJson(
            "/auth/login",
            "{\"username\":\"ann\",\"password\":\"ann-password\",\"org\":\""
                + t.org()
                + "\",\"cookie\":true}");
    assertThat(login.status()).as("%s", login).isEqualTo(200);
    String cookies =
        login.headers().allValues("Set-Cookie").stream()
            .map(c -> c.split(";", 2)[0])
            .collect(Collectors.joining("; "));
    assertThat(cookies).isNotEmpty();

    assertThat(handshakeStatus(b -> b.header("Cookie", cookies))).isEqualTo(403);
    assertThat(
            handshakeStatus(
                b -> b.header("Cookie", cookies).header("Origin", "https://evil.example")))
        .isEqualTo(403);
    try (WsClient ok =
        WsClient.connect(
            fixture.port(),
            b -> b.header("Cookie", cookies).header("Origin", "http://127.0.0.1:" + fixture.port()),
            true)) {
      assertThat(ok.isClosed()).isFalse();
    }
  }

  @Test
  void withoutAnAllowlistAnswersDoNotVaryByOrigin() {
    // no CORS answer depends on the Origin here: nothing for a cache to tell apart
    for (String origin : List.of("https://evil.example", "null")) {
      TestHttp.Response response = t.ann().get("/rooms", "Origin", origin);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
      assertThat(response.headers().allValues("Vary")).noneMatch(v -> v.contains("Origin"));
    }
  }

  private static int handshakeStatus(Consumer<java.net.http.WebSocket.Builder> customize) {
    try {
      WsClient accepted = WsClient.connect(fixture.port(), customize, true);
      accepted.close();
      throw new AssertionError("the handshake was accepted");
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }
}
