package dev.troupe.http;

import static dev.troupe.http.ItSupport.assertProblem;
import static dev.troupe.http.ItSupport.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health checks and the cluster view over real HTTP against a single in-JVM node. */
class HealthAndClusterHttpIT {

  @TempDir static Path dataDir;

  private static NodeRuntime node;
  private static TestHttp http;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNodes.h2(dataDir, ConfigFactory.empty());
    http = new TestHttp(node.httpPort()).asAdmin();
  }

  @AfterAll
  static void stopNode() throws Exception {
    ItSupport.stop(node);
  }

  @Test
  void liveAnswers200AsSoonAsTheServerServes() {
    TestHttp.Response live = http.get("/health/live");

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().get("status").asText()).isEqualTo("up");
    assertThat(live.header("X-Request-Id")).isPresent();
  }

  @Test
  void readyAnswers200ReadyOnceTheNodeIsUp() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              TestHttp.Response ready = http.get("/health/ready");
              assertThat(ready.status()).as("%s", ready).isEqualTo(200);
              assertThat(ready.json().get("status").asText()).isEqualTo("ready");
              assertThat(ready.json().get("failures")).isEmpty();
            });
  }

  @Test
  void clusterListsTheOneUpMemberWithTheShardOfAWrittenEntity() {
    ItSupport.awaitReady(http);
    String id = uniqueId("cluster-view");
    assertThat(http.postJson("/ledgers/" + id + "/deposits", "{\"amount\":1}").status()).isEqualTo(200);
    String shard = located(id).get("shard").asText();

    JsonNode view = okJson("/cluster");

    JsonNode members = view.get("members");
    assertThat(members).hasSize(1);
    JsonNode member = members.get(0);
    assertThat(member.get("status").asText()).isEqualTo("Up");
    assertThat(member.get("address").asText()).isEqualTo(view.get("self").asText()).startsWith("pekko://");
    List<String> ledgerShards = new ArrayList<>();
    member.get("shards").get("ledger").forEach(s -> ledgerShards.add(s.asText()));
    assertThat(ledgerShards).contains(shard);
  }

  @Test
  void entityLocationNamesTheScopedIdItsShardAndTheHostingMember() {
    ItSupport.awaitReady(http);
    String id = uniqueId("locate");
    assertThat(http.postJson("/ledgers/" + id + "/deposits", "{\"amount\":2}").status()).isEqualTo(200);

    JsonNode location = located(id);

    assertThat(ItSupport.fieldNames(location))
        .containsExactlyInAnyOrder("entityType", "entityId", "shard", "node");
    assertThat(location.get("entityType").asText()).isEqualTo("ledger");
    assertThat(location.get("entityId").asText()).isEqualTo("system:" + id);
    assertThat(location.get("shard").asText()).isNotBlank();
    String memberAddress = okJson("/cluster").get("members").get(0).get("address").asText();
    assertThat(location.get("node").asText()).isEqualTo(memberAddress);
  }

  @Test
  void entityLocationOfAnUnknownTypeAnswers404AndOfAnInvalidIdAnswers400() {
    ItSupport.awaitReady(http);

    assertProblem(http.get("/cluster/entities/no-such-type/" + uniqueId("x")), 404, "not_found");
    assertProblem(http.get("/cluster/entities/ledger/" + "x".repeat(200)), 400, "invalid_parameter");
  }

  private static JsonNode located(String id) {
    return okJson("/cluster/entities/ledger/" + id);
  }

  private static JsonNode okJson(String path) {
    TestHttp.Response response = http.get(path);
    assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
    return response.json();
  }
}
