package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cache on three node processes sharing Cassandra (the shared {@link ThreeNodeCluster}): a tag
 * invalidated through one node is gone on every node, {@code getOrCompute} called concurrently on
 * two nodes runs its loader once in the cluster, and {@code kill -9} of the node hosting a bucket
 * loses none of its acknowledged writes.
 */
@ExtendWith(ThreeNodeCluster.Extension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheAcrossNodesIT {

  private static final String TAG = "group-a";
  private static final String OTHER_TAG = "group-b";
  private static final int CALLERS_PER_NODE = 25;

  private final String run = UUID.randomUUID().toString().substring(0, 8);

  /** What a key must answer: its last acknowledged body and ETag. */
  private record Acked(String body, String etag) {}

  @Test
  @Order(1)
  void aTagInvalidatedThroughOneNodeIsGoneOnEveryNode(ThreeNodeCluster cluster) throws Exception {
    String ns = "tags-" + run;
    List<NodeProcess> nodes = cluster.nodes();
    CacheHttp http = CacheHttp.asAdmin(cluster.node(1));

    // Spread over twelve buckets (so over every node, most likely); the untagged and otherwise
    // tagged keys share buckets with tagged ones, so invalidation must pick keys, not buckets.
    Map<String, String> tagged = new LinkedHashMap<>();
    for (int i = 0; i < 12; i++) {
      tagged.put(CacheHttp.keyInBucket("a-" + run + "-" + i, i * 5), TAG);
    }
    String both = CacheHttp.keyInBucket("ab-" + run, 5);
    tagged.put(both, TAG + "," + OTHER_TAG);
    Map<String, String> kept = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      kept.put(CacheHttp.keyInBucket("b-" + run + "-" + i, i * 5), OTHER_TAG);
      kept.put(CacheHttp.keyInBucket("u-" + run + "-" + i, (i + 3) * 5), "");
    }

    Map<String, Acked> written = new LinkedHashMap<>();
    int n = 0;
    for (Map<String, String> group : List.of(tagged, kept)) {
      for (Map.Entry<String, String> entry : group.entrySet()) {
        // Written through node 1 and node 2 in turn.
        NodeProcess writer = cluster.node(1 + n++ % 2);
        String body = "value of " + entry.getKey();
        String query = "ttl=10m" + (entry.getValue().isEmpty() ? "" : "&tags=" + entry.getValue());
        CacheHttp.Reply put = http.put(writer, ns, entry.getKey(), query, body, "text/plain");
        assertThat(put.status()).as("PUT %s via %s: %s", entry.getKey(), writer.name(), put).isEqualTo(204);
        written.put(entry.getKey(), new Acked(body, put.etag()));
      }
    }
    NodeProcess third = cluster.node(3);
    for (Map.Entry<String, Acked> entry : written.entrySet()) {
      CacheHttp.Reply read = http.get(third, ns, entry.getKey());
      assertThat(read.status()).as("GET %s via node 3: %s", entry.getKey(), read).isEqualTo(200);
      assertThat(read.body()).isEqualTo(entry.getValue().body());
      assertThat(read.etag()).isEqualTo(entry.getValue().etag());
    }

    CacheHttp.Reply invalidated = http.invalidate(third, ns, TAG);
    long invalidateMillis = Duration.between(invalidated.sentAt(), invalidated.receivedAt()).toMillis();
    assertThat(invalidated.status()).as(invalidated.toString()).isEqualTo(200);
    assertThat(invalidated.json().path("invalidated").isInt()).as(invalidated.body()).isTrue();
    assertThat(invalidated.json().path("invalidated").asInt()).as(invalidated.body()).isEqualTo(tagged.size());

    // Acknowledged means done: no node answers an invalidated key any more, at once.
    Instant checkedFrom = Instant.now();
    for (NodeProcess node : nodes) {
      for (String key : tagged.keySet()) {
        CacheHttp.Reply read = http.get(node, ns, key);
        assertThat(read.status()).as("GET invalidated %s via %s: %s", key, node.name(), read).isEqualTo(404);
        assertThat(read.header("Content-Type").orElse("")).startsWith("application/problem+json");
      }
      for (String key : kept.keySet()) {
        CacheHttp.Reply read = http.get(node, ns, key);
        assertThat(read.status()).as("GET kept %s via %s: %s", key, node.name(), read).isEqualTo(200);
        assertThat(read.body()).isEqualTo(written.get(key).body());
        assertThat(read.etag()).isEqualTo(written.get(key).etag());
      }
    }
    long checkMillis = Duration.between(checkedFrom, Instant.now()).toMillis();

    // Nothing left to invalidate; the other tag still finds exactly its keys.
    CacheHttp.Reply again = http.invalidate(cluster.node(2), ns, TAG);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().path("invalidated").asInt()).as(again.body()).isZero();
    CacheHttp.Reply other = http.invalidate(cluster.node(1), ns, OTHER_TAG);
    assertThat(other.json().path("invalidated").asInt()).as(other.body()).isEqualTo(3);
    for (String key : kept.keySet()) {
      int expected = kept.get(key).isEmpty() ? 200 : 404;
      assertThat(http.get(third, ns, key).status()).as("%s after invalidating %s", key, OTHER_TAG).isEqualTo(expected);
    }

    // Bad invalidations: no tag, a tag with characters outside the pattern, a bad namespace.
    for (String path :
        List.of(
            "/cache/" + ns + "/invalidate",
            "/cache/" + ns + "/invalidate?tag=",
            "/cache/" + ns + "/invalidate?tag=bad%20tag!",
            "/cache/" + ns + "/invalidate?tag=" + "t".repeat(65),
            "/cache/Bad_Namespace/invalidate?tag=" + TAG)) {
      CacheHttp.Reply bad = http.post(third, path);
      assertThat(bad.status()).as("POST %s: %s", path, bad).isEqualTo(400);
      assertThat(bad.header("Content-Type").orElse("")).startsWith("application/problem+json");
    }

    record("%s cache tags: invalidated %d keys over %d buckets through %s in %d ms; %d reads on 3 nodes checked in"
            + " %d ms",
        Instant.now(), tagged.size(), tagged.keySet().stream().map(CacheHttp::bucketOf).distinct().count(),
        third.name(), invalidateMillis, nodes.size() * written.size(), checkMillis);
  }

  @Test
  @Order(2)
  void getOrComputeCalledFiftyTimesOnTwoNodesLoadsOnce(ThreeNodeCluster cluster) throws Exception {
    String key = "stampede-" + run;
    CacheHttp http = CacheHttp.asAdmin(cluster.node(1));
    List<NodeProcess> callers = List.of(cluster.node(1), cluster.node(2));

    List<CompletableFuture<CacheHttp.Reply>> replies = new ArrayList<>();
    Instant firstSent = Instant.now();
    for (int i = 0; i < CALLERS_PER_NODE; i++) {
      for (NodeProcess node : callers) {
        replies.add(http.getAsync(node, "/test-compute/" + key));
      }
    }
    CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    List<CacheHttp.Reply> answered = replies.stream().map(CompletableFuture::join).toList();

    assertThat(answered).hasSize(2 * CALLERS_PER_NODE);
    assertThat(answered).as("every caller answered 200").allMatch(r -> r.status() == 200, "200");
    List<String> bodies = answered.stream().map(CacheHttp.Reply::body).distinct().toList();
    assertThat(bodies).as("every caller got the one loaded value").hasSize(1);
    String value = bodies.get(0);
    assertThat(value).matches("node-[12]:" + key + ":1");
    String loader = value.substring(0, value.indexOf(':'));

    Map<String, Integer> loads = loadCounts(http, cluster, key);
    assertThat(loads.values().stream().mapToInt(Integer::intValue).sum()).as("loads per node %s", loads).isEqualTo(1);
    assertThat(loads.get(loader)).as("the node named in the value loaded it: %s", loads).isEqualTo(1);

    // The first callers waited for the load (about a second), then everyone had it.
    long slowest =
        answered.stream().mapToLong(r -> Duration.between(r.sentAt(), r.receivedAt()).toMillis()).max().orElseThrow();
    Instant lastAnswered = answered.stream().map(CacheHttp.Reply::receivedAt).max(Instant::compareTo).orElseThrow();
    long allAnsweredAfter = Duration.between(firstSent, lastAnswered).toMillis();
    assertThat(slowest).as("a caller waited for the load").isGreaterThanOrEqualTo(ComputeExtension.LOAD_MILLIS - 100);

    // Later callers, on the third node too, hit the stored value without loading again.
    CacheHttp.Reply later = http.getPath(cluster.node(3), "/test-compute/" + key);
    assertThat(later.status()).as(later.toString()).isEqualTo(200);
    assertThat(later.body()).isEqualTo(value);
    CacheHttp.Reply stored = http.get(cluster.node(3), ComputeExtension.NAMESPACE, key);
    assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
    assertThat(stored.body()).isEqualTo(value);
    assertThat(loadCounts(http, cluster, key).values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1);

    record("%s cache getOrCompute: %d callers on %s, loader ran once on %s; all answered %d ms after the first was"
            + " sent; slowest caller %d ms",
        Instant.now(), answered.size(), callers.stream().map(NodeProcess::name).toList(), loader, allAnsweredAfter,
        slowest);
  }

  @Test
  @Order(3)
  void killingABucketsHostLosesNoAcknowledgedWrite(ThreeNodeCluster cluster) throws Exception {
    String ns = "failover-" + run;
    NodeProcess oldest = cluster.node(1);
    CacheHttp http = CacheHttp.asAdmin(oldest);

    // A bucket hosted on a node that is not the oldest: killing the oldest would also move the
    // shard coordinator, which is not what this test measures. A write gives its shard a home.
    int bucket = -1;
    NodeProcess host = null;
    for (int b = 0; b < CacheHttp.BUCKETS && host == null; b++) {
      String probe = CacheHttp.keyInBucket("probe-" + run, b);
      CacheHttp.Reply put = http.put(oldest, ns, probe, "ttl=10m", "probe", "text/plain");
      assertThat(put.status()).as(put.toString()).isEqualTo(204);
      NodeProcess at = hostOf(http, cluster, oldest, ns, b);
      if (at != null && at != oldest) {
        bucket = b;
        host = at;
      }
    }
    assertThat(host).as("a bucket hosted on node 2 or 3").isNotNull();

    // Several keys of that bucket, each written three times through changing nodes; one deleted,
    // three tagged.
    Map<String, Acked> acked = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      keys.add(CacheHttp.keyInBucket("acked-" + run + "-" + i, bucket));
    }
    int writes = 0;
    for (int version = 1; version <= 3; version++) {
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        NodeProcess writer = cluster.node(1 + writes++ % 3);
        String body = key + " v" + version;
        String query = "ttl=1h" + (i < 3 ? "&tags=ft" : "");
        CacheHttp.Reply put = http.put(writer, ns, key, query, body, "text/plain");
        assertThat(put.status()).as("PUT %s via %s: %s", key, writer.name(), put).isEqualTo(204);
        acked.put(key, new Acked(body, put.etag()));
      }
    }
    String deleted = keys.get(keys.size() - 1);
    CacheHttp.Reply delete = http.delete(cluster.node(2), ns, deleted);
    assertThat(delete.status()).as(delete.toString()).isEqualTo(204);
    acked.remove(deleted);
    // Still where we found it: the kill below hits the node that holds these writes.
    assertThat(hostOf(http, cluster, oldest, ns, bucket)).isSameAs(host);

    NodeProcess killed = host;
    NodeProcess reader =
        cluster.nodes().stream().filter(node -> node != killed && node != oldest).findFirst().orElseThrow();
    Instant killedAt = killed.kill9();
    System.out.printf(
        "killed %s (pid %d) hosting cache bucket %s%n", killed.name(), killed.pid(), CacheHttp.bucketId(ns, bucket));

    // A new read every poll without waiting for the last: the first 200 marks when the bucket
    // answered again (to within one poll interval).
    String first = keys.get(0);
    AtomicReference<CacheHttp.Reply> answered = new AtomicReference<>();
    await("bucket " + CacheHttp.bucketId(ns, bucket) + " answers again")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              http.getAsync(reader, ns, first)
                  .thenAccept(
                      reply -> {
                        if (reply.status() == 200) {
                          answered.compareAndSet(null, reply);
                        }
                      });
              return answered.get() != null;
            });
    long failoverMillis = Duration.between(killedAt, answered.get().receivedAt()).toMillis();

    for (NodeProcess survivor : List.of(reader, oldest)) {
      for (Map.Entry<String, Acked> entry : acked.entrySet()) {
        CacheHttp.Reply read = http.get(survivor, ns, entry.getKey());
        assertThat(read.status()).as("GET %s via %s: %s", entry.getKey(), survivor.name(), read).isEqualTo(200);
        assertThat(read.body()).isEqualTo(entry.getValue().body());
        assertThat(read.etag()).isEqualTo(entry.getValue().etag());
      }
      CacheHttp.Reply gone = http.get(survivor, ns, deleted);
      assertThat(gone.status()).as("deleted %s via %s: %s", deleted, survivor.name(), gone).isEqualTo(404);
    }
    NodeProcess newHome = hostOf(http, cluster, oldest, ns, bucket);
    assertThat(newHome).as("the bucket's new home").isNotNull().isNotSameAs(killed);
    // The tag index came back with the entries.
    CacheHttp.Reply invalidated = http.invalidate(reader, ns, "ft");
    assertThat(invalidated.status()).as(invalidated.toString()).isEqualTo(200);
    assertThat(invalidated.json().path("invalidated").asInt()).as(invalidated.body()).isEqualTo(3);

    record("%s cache failover: killed %s hosting bucket %s (%d keys, %d acknowledged writes); bucket answered"
            + " again after %d ms via %s, new home %s",
        Instant.now(), killed.name(), CacheHttp.bucketId(ns, bucket), keys.size(), writes + 1, failoverMillis,
        reader.name(), newHome.name());

    // Leave three nodes behind for whoever needs them next.
    cluster.ensureAllRunning();
    assertThat(cluster.nodes()).allMatch(NodeProcess::isAlive);
  }

  /** The node hosting a bucket of this namespace now, as {@code /cluster/entities} says; null if none. */
  private static NodeProcess hostOf(CacheHttp http, ThreeNodeCluster cluster, NodeProcess via, String ns, int bucket)
      throws Exception {
    CacheHttp.Reply location =
        http.getPath(via, "/cluster/entities/cache-bucket/" + CacheHttp.bucketId(ns, bucket));
    assertThat(location.status()).as(location.toString()).isEqualTo(200);
    return cluster.byAddress(location.json().path("node").asText("")).orElse(null);
  }

  private static Map<String, Integer> loadCounts(CacheHttp http, ThreeNodeCluster cluster, String key)
      throws Exception {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (NodeProcess node : cluster.nodes()) {
      CacheHttp.Reply count = http.getPath(node, "/test-compute-count/" + key);
      assertThat(count.status()).as(count.toString()).isEqualTo(200);
      counts.put(node.name(), Integer.parseInt(count.body().trim()));
    }
    return counts;
  }

  private static void record(String format, Object... args) throws Exception {
    String line = String.format(format, args);
    System.out.println("CACHE-CLUSTER " + line);
    Files.writeString(
        NodeProcess.targetDir().resolve("cache-cluster-results.txt"),
        line + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
