package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three node processes sharing Cassandra: {@code kill -9} the node hosting a ledger, and the
 * ledger answers again from another node with every acknowledged deposit.
 */
@ExtendWith(ThreeNodeCluster.Extension.class)
class ClusterFailoverIT {

  private static final int DEPOSITS = 20;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private TestHttp http;

  /** When something was first seen after the kill. */
  private record Seen(Instant at, TestHttp.Response response) {}

  @Test
  void aKilledNodesEntityAnswersAgainElsewhereWithEveryAcknowledgedDeposit(ThreeNodeCluster cluster)
      throws Exception {
    NodeProcess oldest = cluster.node(1);
    http = new TestHttp().asAdmin(oldest);
    String run = UUID.randomUUID().toString().substring(0, 8);

    // An entity hosted on a node that is not the oldest: killing the oldest would also move the
    // shard coordinator, which is not what this test measures.
    String id = null;
    NodeProcess host = null;
    for (int k = 0; k < 40 && host == null; k++) {
      String candidate = "failover-" + run + "-" + k;
      // A read starts the entity, so its shard gets a home.
      assertThat(http.get(oldest.uri("/ledgers/" + candidate), REQUEST_TIMEOUT).status()).isEqualTo(200);
      TestHttp.Response location = http.get(oldest.uri("/cluster/entities/ledger/" + candidate), REQUEST_TIMEOUT);
      assertThat(location.status()).as(location.body()).isEqualTo(200);
      var hostNode = cluster.byAddress(location.json().path("node").asText(""));
      if (hostNode.isPresent() && hostNode.get() != oldest) {
        id = candidate;
        host = hostNode.get();
      }
    }
    assertThat(host).as("an entity hosted on node 2 or 3").isNotNull();

    long balance = 0;
    for (int i = 1; i <= DEPOSITS; i++) {
      TestHttp.Response reply =
          http.post(oldest.uri("/ledgers/" + id + "/deposits"), Map.of("amount", i), REQUEST_TIMEOUT);
      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      balance += i;
      assertThat(reply.json().path("balance").asLong()).isEqualTo(balance);
      assertThat(reply.json().path("entries").asLong()).isEqualTo(i);
    }
    long acknowledgedBalance = balance;
    // Still where we found it: the kill below hits the node that holds these writes.
    assertThat(
            http.get(oldest.uri("/cluster/entities/ledger/" + id), REQUEST_TIMEOUT).json().path("node").asText())
        .isEqualTo(host.address());

    NodeProcess killed = host;
    List<NodeProcess> survivors = cluster.nodes().stream().filter(n -> n != killed).toList();
    // Read through the survivor that is not the oldest: neither the writer nor the coordinator.
    NodeProcess reader = survivors.stream().filter(n -> n != oldest).findFirst().orElseThrow();

    Instant killedAt = killed.kill9();
    System.out.printf("killed %s (pid %d) hosting ledger %s%n", killed.name(), killed.pid(), id);

    // Every poll sends a new read without waiting for the last one: a read sent while the shard
    // has no home waits in sharding's buffer and is answered the moment the entity recovers, so
    // the first 200 marks when the entity answered again (to within one poll interval).
    AtomicReference<Seen> answered = new AtomicReference<>();
    Map<String, Seen> notUp = new ConcurrentHashMap<>();
    String ledgerPath = "/ledgers/" + id;
    await("ledger " + id + " answers again and survivors no longer list " + killed.name() + " as Up")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (answered.get() == null) {
                http.getAsync(reader.uri(ledgerPath), REQUEST_TIMEOUT)
                    .thenAccept(
                        r -> {
                          if (r.status() == 200) {
                            answered.compareAndSet(null, new Seen(Instant.now(), r));
                          }
                        });
              }
              for (NodeProcess survivor : survivors) {
                if (!notUp.containsKey(survivor.name())) {
                  http.getAsync(survivor.uri("/cluster"), REQUEST_TIMEOUT)
                      .thenAccept(
                          r -> {
                            if (r.status() == 200 && !listsAsUp(r.json(), killed.address())) {
                              notUp.putIfAbsent(survivor.name(), new Seen(Instant.now(), r));
                            }
                          });
                }
              }
              return answered.get() != null && notUp.size() == survivors.size();
            });

    long failoverMillis = Duration.between(killedAt, answered.get().at()).toMillis();
    JsonNode recovered = answered.get().response().json();
    assertThat(recovered.path("balance").asLong()).isEqualTo(acknowledgedBalance);
    assertThat(recovered.path("entries").asLong()).isEqualTo(DEPOSITS);
    // And again, through the oldest node too.
    TestHttp.Response again = http.get(oldest.uri(ledgerPath), REQUEST_TIMEOUT);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("balance").asLong()).isEqualTo(acknowledgedBalance);
    assertThat(again.json().path("entries").asLong()).isEqualTo(DEPOSITS);
    String newHome = http.get(oldest.uri("/cluster/entities/ledger/" + id), REQUEST_TIMEOUT).json().path("node").asText();
    assertThat(newHome).isNotEqualTo(killed.address());

    List<String> downSeen = new ArrayList<>();
    notUp.forEach(
        (name, seen) -> downSeen.add(name + "=" + Duration.between(killedAt, seen.at()).toMillis() + "ms"));
    downSeen.sort(String::compareTo);
    String line =
        String.format(
            "%s ledger=%s deposits=%d killed=%s(%s) answered-again-after=%dms via %s, new-home=%s,"
                + " killed-node-not-Up-seen-by: %s",
            Instant.now(), id, DEPOSITS, killed.name(), killed.address(), failoverMillis, reader.name(), newHome,
            String.join(", ", downSeen));
    System.out.println("FAILOVER " + line);
    Files.writeString(
        NodeProcess.targetDir().resolve("failover-times.txt"),
        line + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);

    // Leave three nodes behind for whoever needs them next; this also proves a killed node can
    // come back and rejoin.
    cluster.ensureAllRunning();
    assertThat(cluster.nodes()).allMatch(NodeProcess::isAlive);
  }

  private static boolean listsAsUp(JsonNode view, String address) {
    for (JsonNode member : view.path("members")) {
      if (address.equals(member.path("address").asText()) && "Up".equals(member.path("status").asText())) {
        return true;
      }
    }
    return false;
  }
}
