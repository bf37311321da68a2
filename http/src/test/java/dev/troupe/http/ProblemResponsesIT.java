package dev.troupe.http;

import static dev.troupe.http.ItSupport.assertProblem;
import static dev.troupe.http.ItSupport.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.BlackHoleExtension;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error the HTTP edge answers is {@code application/problem+json} with a stable code, the
 * request id, and never a stack trace; {@code X-Request-Id} is echoed or generated on every
 * response. Runs against a node with a 1 KiB body limit and a 300 ms ask timeout.
 */
class ProblemResponsesIT {

  private static final String REQUEST_ID = "X-Request-Id";

  @TempDir static Path dataDir;

  private static NodeRuntime node;
  private static TestHttp http;

  @BeforeAll
  static void startNode() throws Exception {
    node =
        TestNodes.h2(
            dataDir,
            ConfigFactory.parseString(
                "troupe.http.max-body-size = 1k\n" + "troupe.entities.ask-timeout = 300ms"),
            List.of(new BlackHoleExtension()));
    http = new TestHttp(node.httpPort()).asAdmin();
    ItSupport.awaitReady(http);
    // The first ask on a fresh node allocates a shard and recovers an entity; let that happen
    // before tests whose asks must finish within the short ask timeout.
    String warmUp = uniqueId("warm-up");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> http.postJson("/ledgers/" + warmUp + "/deposits", "{\"amount\":1}").status() == 200);
  }

  @AfterAll
  static void stopNode() throws Exception {
    ItSupport.stop(node);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"{\"amount\":", "not json at all", "{\"amount\": 5,,}", "[1, 2"})
  void malformedJsonBodyAnswers400MalformedJson(String body) {
    TestHttp.Response response =
        http.postJson("/ledgers/" + uniqueId("malformed") + "/deposits", body);

    assertProblem(response, 400, "malformed_json");
  }

  @Test
  void jsonOfTheWrongShapeAnswers400MalformedJson() {
    TestHttp.Response response =
        http.postJson("/ledgers/" + uniqueId("wrong-shape") + "/deposits", "{\"amount\":\"lots\"}");

    assertProblem(response, 400, "malformed_json");
  }

  @Test
  void missingBodyAnswers400MalformedJson() {
    TestHttp.Response response =
        http.send("POST", "/ledgers/" + uniqueId("no-body") + "/deposits", "application/json", "");

    assertProblem(response, 400, "malformed_json");
  }

  @Test
  void unknownRouteAnswers404NotFound() {
    assertProblem(http.get("/no/such/route"), 404, "not_found");
    assertProblem(http.postJson("/nothing-here", "{}"), 404, "not_found");
    assertProblem(http.get("/ledgers/" + uniqueId("unknown") + "/no-such-thing"), 404, "not_found");
  }

  @Test
  void wrongMethodAnswers405WithAnAllowHeader() {
    TestHttp.Response response =
        http.send("DELETE", "/ledgers/" + uniqueId("wrong-method") + "/deposits", null, null);

    assertProblem(response, 405, "method_not_allowed");
    assertThat(response.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
  }

  @Test
  void bodyOverTheSizeLimitAnswers413PayloadTooLarge() {
    String padding = "x".repeat(4096);
    String body = "{\"amount\":1,\"note\":\"" + padding + "\"}";
    assertThat(body.length()).isGreaterThan(4096);

    TestHttp.Response response =
        http.postJson("/ledgers/" + uniqueId("too-large") + "/deposits", body);

    assertProblem(response, 413, "payload_too_large");
  }

  @Test
  void unsupportedContentTypeAnswers415() {
    TestHttp.Response response =
        http.send(
            "POST", "/ledgers/" + uniqueId("text-plain") + "/deposits", "text/plain", "{\"amount\":1}");

    assertProblem(response, 415, "unsupported_media_type");
  }

  @Test
  void withdrawingMoreThanTheBalanceAnswers422Unprocessable() {
    String id = uniqueId("overdraw");
    assertThat(http.postJson("/ledgers/" + id + "/deposits", "{\"amount\":10}").status()).isEqualTo(200);

    TestHttp.Response response = http.postJson("/ledgers/" + id + "/withdrawals", "{\"amount\":1000}");

    JsonNode problem = assertProblem(response, 422, "unprocessable");
    assertThat(problem.get("detail").asText()).isEqualTo("insufficient funds");
    assertThat(http.get("/ledgers/" + id).json().get("balance").asLong()).isEqualTo(10L);
  }

  @Test
  void askTimeoutAnswers503UnavailableWithRetryAfter() {
    TestHttp.Response response = http.get("/test/black-hole");

    assertProblem(response, 503, "unavailable");
    assertThat(response.header("Retry-After"))
        .hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
  }

  @Test
  void clientRequestIdIsEchoedOnSuccessAndOnErrors() {
    String id = uniqueId("echo");

    TestHttp.Response ok =
        http.postJson("/ledgers/" + id + "/deposits", "{\"amount\":3}", REQUEST_ID, "client-req-1");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header(REQUEST_ID)).contains("client-req-1");

    TestHttp.Response read = http.get("/ledgers/" + id, REQUEST_ID, "client-req-2");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.header(REQUEST_ID)).contains("client-req-2");

    TestHttp.Response notFound = http.get("/no/such/route", REQUEST_ID, "client-req-3");
    assertThat(assertProblem(notFound, 404, "not_found").get("requestId").asText()).isEqualTo("client-req-3");

    TestHttp.Response refused =
        http.postJson("/ledgers/" + id + "/withdrawals", "{\"amount\":99}", REQUEST_ID, "client-req-4");
    assertThat(assertProblem(refused, 422, "unprocessable").get("requestId").asText()).isEqualTo("client-req-4");

    TestHttp.Response malformed =
        http.postJson("/ledgers/" + id + "/deposits", "{", REQUEST_ID, "client-req-5");
    assertThat(assertProblem(malformed, 400, "malformed_json").get("requestId").asText()).isEqualTo("client-req-5");

    TestHttp.Response timedOut = http.get("/test/black-hole", REQUEST_ID, "client-req-6");
    assertThat(assertProblem(timedOut, 503, "unavailable").get("requestId").asText()).isEqualTo("client-req-6");

    TestHttp.Response health = http.get("/health/live", REQUEST_ID, "client-req-7");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.header(REQUEST_ID)).contains("client-req-7");
  }

  @Test
  void missingRequestIdIsReplacedByAGeneratedOne() {
    TestHttp.Response ok = http.get("/ledgers/" + uniqueId("generated"));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header(REQUEST_ID)).hasValueSatisfying(value -> assertThat(value).isNotBlank());

    TestHttp.Response problem = http.get("/no/such/route");
    String generated = assertProblem(problem, 404, "not_found").get("requestId").asText();
    assertThat(problem.header(REQUEST_ID)).contains(generated);
    assertThat(generated).isNotEqualTo(ok.header(REQUEST_ID).orElseThrow());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"300-chars", "has spaces; and <markup>", "quote\"and/slash"})
  void insaneRequestIdIsReplacedByAGeneratedOne(String kind) {
    String insane = kind.equals("300-chars") ? "r".repeat(300) : kind;

    TestHttp.Response ok = http.get("/ledgers/" + uniqueId("insane"), REQUEST_ID, insane);
    assertThat(ok.status()).isEqualTo(200);
    String replaced = ok.header(REQUEST_ID).orElseThrow();
    assertThat(replaced).isNotEqualTo(insane).isNotBlank().hasSizeLessThanOrEqualTo(128);

    TestHttp.Response problem = http.get("/no/such/route", REQUEST_ID, insane);
    String problemId = assertProblem(problem, 404, "not_found").get("requestId").asText();
    assertThat(problemId).isNotEqualTo(insane).hasSizeLessThanOrEqualTo(128);
    assertThat(problem.body()).doesNotContain(insane);
  }
}
