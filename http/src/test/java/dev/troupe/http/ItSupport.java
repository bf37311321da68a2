package dev.troupe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.http.testkit.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** What the HTTP integration tests share: waiting for readiness, stopping nodes, JSON helpers. */
final class ItSupport {

  private ItSupport() {}

  /** Waits until {@code /health/ready} answers 200: the node joined and sharding is up. */
  static void awaitReady(TestHttp http) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(http.get("/health/ready").status()).isEqualTo(200));
  }

  /** Terminates the node's actor system and waits until it has stopped. */
  static void stop(NodeRuntime node) throws Exception {
    if (node != null) {
      node.system().terminate();
      node.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** An entity id no other test uses. */
  static String uniqueId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(names::add);
    return names;
  }

  /**
   * Asserts the response is an {@code application/problem+json} document with the given status and
   * code, carrying every member of the contract and no trace of a stack trace.
   */
  static JsonNode assertProblem(TestHttp.Response response, int status, String code) {
    assertThat(response.status()).as("status of %s", response).isEqualTo(status);
    assertThat(response.contentType()).as("content type of %s", response).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.path("type").asText()).isEqualTo("urn:troupe:problem:" + code);
    assertThat(problem.path("code").asText()).isEqualTo(code);
    assertThat(problem.path("status").isInt()).as("numeric status in %s", problem).isTrue();
    assertThat(problem.path("status").asInt()).isEqualTo(status);
    assertThat(problem.path("title").asText()).isNotBlank();
    assertThat(problem.has("detail")).as("detail in %s", problem).isTrue();
    assertThat(problem.path("detail").isTextual()).as("textual detail in %s", problem).isTrue();
    assertThat(problem.path("requestId").asText()).isNotBlank();
    assertThat(response.header("X-Request-Id")).contains(problem.path("requestId").asText());
    assertThat(response.body()).doesNotContain("at dev.").doesNotContain("Exception");
    return problem;
  }

  static List<Long> seqs(JsonNode events) {
    List<Long> seqs = new ArrayList<>();
    events.forEach(e -> seqs.add(e.get("seq").asLong()));
    return seqs;
  }
}
