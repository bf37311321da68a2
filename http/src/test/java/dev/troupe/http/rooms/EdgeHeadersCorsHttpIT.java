package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.EdgeFixture.ALLOWED;
import static dev.troupe.http.rooms.EdgeFixture.EVIL;
import static dev.troupe.http.rooms.EdgeFixture.WAIT;
import static dev.troupe.http.rooms.EdgeFixture.assertSecurityHeaders;
import static dev.troupe.http.rooms.EdgeFixture.assertVariesByOrigin;
import static dev.troupe.http.rooms.RoomsFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.http.security.ClusterShare;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge over real sockets, part one: security headers on every kind of answer (successes,
 * problems, request timeouts, 413) and CORS: the allowlist, preflights, {@code Vary: Origin}, the
 * {@code null} origin and state-changing requests from foreign origins.
 */
class EdgeHeadersCorsHttpIT {

  @TempDir static Path dataDir;

  private static EdgeFixture edge;
  private static RoomsFixture.Tenant t;

  @BeforeAll
  static void start() throws Exception {
    edge = EdgeFixture.start(dataDir, "edge-cors");
    t = edge.t;
  }

  @AfterAll
  static void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
  }

  @Test
  void aSingleNodeGrantsTheWholeLimit() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ClusterShare share = ClusterShare.get(edge.node.node.system());
              assertThat(share.upMembers()).isEqualTo(1);
              assertThat(share.fraction()).isEqualTo(1.0);
            });
  }

  // ---- headers ----

  @Test
  void securityHeadersAreOnSuccessesAndProblemsButNoHstsWithoutTls() {
    List<TestHttp.Response> responses =
        List.of(
            edge.anonymous().get("/health/ready"),
            edge.anonymous().get("/rooms"),
            t.ann().get("/no-such-resource-" + RoomsFixture.unique("x")),
            t.ann().get("/rooms"));
    assertThat(responses.stream().map(TestHttp.Response::status))
        .containsExactly(200, 401, 404, 200);
    responses.forEach(EdgeFixture::assertSecurityHeaders);
    assertProblem(responses.get(1), 401, "unauthenticated");
    // JSON is not a page: no CSP; Cache-Control is not set globally
    assertThat(responses.get(3).header("Content-Security-Policy")).isEmpty();
    assertThat(responses.get(0).header("Cache-Control")).isEmpty();
  }

  @Test
  void aRequestTimeoutAnswerCarriesTheHeadersToo() {
    TestHttp.Response timedOut = t.ann().get("/test/black-hole", "Origin", ALLOWED);
    assertProblem(timedOut, 503, "unavailable");
    assertThat(timedOut.json().path("detail").asText()).contains("timed out");
    assertSecurityHeaders(timedOut);
    assertThat(timedOut.header("Access-Control-Allow-Origin")).contains(ALLOWED);
    assertVariesByOrigin(timedOut);
    assertThat(timedOut.header("Retry-After")).isPresent();
  }

  @Test
  void anOversizeBodyIs413WithTheHeaders() {
    String body = "{\"amount\":1,\"pad\":\"" + "x".repeat(1_200_000) + "\"}";
    TestHttp.Response response =
        edge.node.admin.postJson("/ledgers/" + RoomsFixture.unique("big") + "/deposits", body);
    assertProblem(response, 413, "payload_too_large");
    assertSecurityHeaders(response);
  }

  // ---- CORS ----

  @Test
  void aPreflightFromAnAllowedOriginIsAnsweredBeforeAuthentication() {
    TestHttp.Response response =
        edge.anonymous()
            .send(
                "OPTIONS",
                "/rooms",
                null,
                null,
                "Origin",
                ALLOWED,
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "authorization, content-type, x-csrf-token");
    assertThat(response.status()).as("%s", response).isEqualTo(204);
    assertThat(response.header("Access-Control-Allow-Origin")).contains(ALLOWED);
    assertThat(response.header("Access-Control-Allow-Credentials")).contains("true");
    assertThat(response.header("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST", "DELETE");
    assertThat(response.header("Access-Control-Allow-Headers").orElseThrow())
        .contains(
            "Authorization", "Content-Type", "X-CSRF-Token", "Idempotency-Key", "Last-Event-ID");
    assertThat(response.header("Access-Control-Max-Age")).contains("600");
    assertVariesByOrigin(response);
    assertSecurityHeaders(response);
  }

  @Test
  void aPreflightFromAForeignOrNullOriginGetsNoCorsHeaders() {
    for (String origin : List.of(EVIL, "null")) {
      TestHttp.Response response =
          edge.anonymous()
              .send(
                  "OPTIONS",
                  "/rooms",
                  null,
                  null,
                  "Origin",
                  origin,
                  "Access-Control-Request-Method",
                  "POST");
      assertProblem(response, 403, "forbidden");
      assertThat(response.header("Access-Control-Allow-Origin")).as(origin).isEmpty();
      assertThat(response.header("Access-Control-Allow-Credentials")).as(origin).isEmpty();
      assertVariesByOrigin(response);
      assertSecurityHeaders(response);
    }
  }

  @Test
  void actualResponsesCarryCorsHeadersOnlyForAnAllowedOrigin() {
    TestHttp.Response allowed = t.ann().get("/rooms", "Origin", ALLOWED);
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.header("Access-Control-Allow-Origin")).contains(ALLOWED);
    assertThat(allowed.header("Access-Control-Allow-Credentials")).contains("true");
    assertVariesByOrigin(allowed);
    assertThat(allowed.header("Access-Control-Expose-Headers").orElseThrow())
        .contains("Retry-After", "X-Request-Id", "ETag", "Idempotent-Replayed");

    // a 401 to an allowed origin is readable by its script too
    TestHttp.Response unauthenticated = edge.anonymous().get("/rooms", "Origin", ALLOWED);
    assertThat(unauthenticated.status()).isEqualTo(401);
    assertThat(unauthenticated.header("Access-Control-Allow-Origin")).contains(ALLOWED);

    for (String origin : List.of(EVIL, "null")) {
      TestHttp.Response foreign = t.ann().get("/rooms", "Origin", origin);
      assertThat(foreign.status()).isEqualTo(200); // a read; the browser hides it from the script
      assertThat(foreign.header("Access-Control-Allow-Origin")).as(origin).isEmpty();
      assertThat(foreign.header("Access-Control-Allow-Credentials")).as(origin).isEmpty();
    }
  }

  @Test
  void everyAnswerVariesByOriginWhenThereIsAnAllowlist() {
    // a shared cache must not hand an answer without CORS headers to an allowed origin, or the
    // reverse: answers to no Origin and to a foreign one say Vary: Origin too
    List<TestHttp.Response> responses =
        List.of(
            t.ann().get("/rooms"),
            t.ann().get("/rooms", "Origin", EVIL),
            edge.anonymous().get("/rooms", "Origin", EVIL),
            edge.anonymous().get("/health/ready"),
            t.ann().get("/no-such-resource-" + RoomsFixture.unique("x"), "Origin", EVIL));
    assertThat(responses.stream().map(TestHttp.Response::status))
        .containsExactly(200, 200, 401, 200, 404);
    responses.forEach(EdgeFixture::assertVariesByOrigin);
  }

  @Test
  void aStateChangingRequestFromAForeignOriginIsRefused() {
    String room = RoomsFixture.unique("room");
    TestHttp.Response refused = t.boss().putJson("/rooms/" + room, "{}", "Origin", EVIL);
    assertProblem(refused, 403, "forbidden");
    assertSecurityHeaders(refused);
    assertThat(t.boss().get("/rooms/" + room).status()).isEqualTo(404);

    assertThat(t.boss().putJson("/rooms/" + room, "{}", "Origin", ALLOWED).status()).isEqualTo(201);
    assertThat(
            t.boss()
                .putJson("/rooms/" + RoomsFixture.unique("room"), "{}", "Origin", edge.ownOrigin())
                .status())
        .isEqualTo(201);
  }

  @Test
  void aStateChangingRequestFromTheNullOriginIsRefused() {
    // sandboxed iframes, data: URLs and some redirects send "Origin: null": never acceptable
    String room = RoomsFixture.unique("room");
    TestHttp.Response refused = t.boss().putJson("/rooms/" + room, "{}", "Origin", "null");
    assertProblem(refused, 403, "forbidden");
    assertThat(refused.header("Access-Control-Allow-Origin")).isEmpty();
    assertThat(t.boss().get("/rooms/" + room).status()).isEqualTo(404);
    TestHttp.Response login =
        edge.anonymous()
            .postJson("/auth/login", "{}", "Origin", "null", "X-Forwarded-For", "192.0.2.90");
    assertProblem(login, 403, "forbidden");
  }
}
