package dev.troupe.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bench.node.FixedPrincipalAuthenticator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Cache PUT throughput end to end (HTTP PUT, the key's bucket entity, its {@code Stored} event in
 * the journal, 204 once persisted) on a node, then, in the same run, the raw store's ceiling with
 * the same row shape (the serialized {@code Stored} event of a value of the same size), the same
 * closed-loop load generator, concurrency and batch size 1 as {@code persist}. Prints the ratio
 * troupe/raw.
 *
 * <p>Keys are spread like {@code persist} spreads entities: worker {@code w} only writes keys whose
 * bucket {@code b = floorMod(key.hashCode(), buckets)} has {@code b % concurrency == w}, so no two
 * writes in flight ever queue on the same bucket, and the raw rows go to as many persistence ids
 * as there are buckets, each owned by one worker. The figure is the write path, not contention.
 */
@Command(name = "cache-put", mixinStandardHelpOptions = true, description = "Cache PUTs/s through a node (HTTP -> bucket -> journal) vs raw store inserts, same run.")
final class CachePutCommand implements Callable<Integer> {

  @Mixin BenchEnv env = new BenchEnv();

  @Option(names = "--journal", required = true, description = "h2 or cassandra")
  String journal;

  @Option(names = "--cassandra", defaultValue = "127.0.0.1:9042", description = "Cassandra contact point (journal cassandra)")
  String cassandra;

  @Option(names = "--cassandra-pid", defaultValue = "0", description = "pid of the Cassandra server JVM, to count its CPU time (journal cassandra)")
  long cassandraPid;

  @Option(names = "--concurrency", defaultValue = "32", description = "PUTs (inserts) in flight")
  int concurrency;

  @Option(names = "--keys", defaultValue = "10000", description = "keys written round-robin (k0 .. k<keys-1>)")
  int keys;

  @Option(names = "--buckets", defaultValue = "64", description = "troupe.cache.buckets (set on the node too): keys are assigned to workers by bucket")
  int buckets;

  @Option(names = "--namespace", defaultValue = "bench-put", description = "the (durable) namespace written")
  String namespace;

  @Option(names = "--value-bytes", defaultValue = "100", description = "bytes per value")
  int valueBytes;

  @Option(names = "--ttl", defaultValue = "1h", description = "ttl of every PUT")
  String ttl;

  @Option(names = "--seconds", defaultValue = "10", description = "measured window per side and round")
  int seconds;

  @Option(names = "--warmup", defaultValue = "180", description = "longest warm-up of each server JVM, seconds (5 s chunks until its JIT has settled)")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3", description = "measured rounds (Troupe window, then raw window) on the same warmed-up servers")
  int rounds;

  static final int WARMUP_CHUNK = 5;

  /** The persistence id prefix of a bench tenant's durable bucket: {@code cache-bucket|bench:}. */
  static final String BUCKET_PERSISTENCE_PREFIX = "cache-bucket|" + FixedPrincipalAuthenticator.PRINCIPAL.org() + ":";

  @Override
  public Integer call() throws Exception {
    if (!journal.equals("h2") && !journal.equals("cassandra")) {
      throw new IllegalArgumentException("--journal must be h2 or cassandra");
    }
    if (concurrency > buckets) {
      throw new IllegalArgumentException("--concurrency must be at most --buckets (one worker per bucket at least)");
    }
    String run = Long.toString(System.currentTimeMillis(), 36);
    byte[] value = CacheRequests.value(valueBytes);
    Duration window = Duration.ofSeconds(seconds);
    Duration chunk = Duration.ofSeconds(WARMUP_CHUNK);
    int maxChunks = Math.max(2, warmup / WARMUP_CHUNK);
    List<List<String>> keysOfWorker = keysOfWorkers();
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("bench", "cache-put");
    common.put("journal", journal);
    common.put("concurrency", concurrency);
    common.put("keys", keys);
    common.put("buckets", buckets);
    common.put("namespace", namespace);
    common.put("valueBytes", valueBytes);
    common.put("seconds", seconds);
    common.put("clientCpus", BenchEnv.ownAffinity());
    common.put("serverCpus", env.serverCpus);
    common.put("warmupCpus", env.warmupCpus());

    Path nodeDir = env.freshDir("cache-put-" + journal + "-node");
    Path rawDir = env.freshDir("cache-put-" + journal + "-raw");
    try (TroupeNodeProcess node = TroupeNodeProcess.start(
            env,
            nodeDir,
            List.of(
                // The write path, not authentication: a fixed org-admin of org "bench".
                "-Dtroupe.http.authenticator=" + FixedPrincipalAuthenticator.class.getName(),
                "-Dtroupe.cache.buckets=" + buckets),
            journal,
            cassandra,
            true);
        RawStore raw = journal.equals("h2") ? RawStore.h2(env, rawDir) : RawStore.cassandra(cassandra, cassandraPid)) {
      raw.pause();
      common.put("node", node.describe);
      common.put("nodeGc", node.process.gcName());
      JsonNode size =
          BenchEnv.JSON.readTree(
              HttpConnection.once("127.0.0.1", node.httpPort, "GET", "/bench-meta/cache-event-size?bytes=" + valueBytes + "&key=" + CacheRequests.key(keys - 1), null).text());
      RowShape row = new RowShape(size.get("bytes").asInt(), size.get("serializerId").asInt(), size.get("manifest").asText());
      common.put("eventBytes", row.bytes());
      common.put("eventManifest", row.manifest());
      common.put("rawKind", raw.describe());
      // The raw store first, while the node is frozen (as persist does).
      node.process.pause();
      raw.resume();
      System.out.printf("cache-put %s: warming up the raw store (%s), 5 s chunks until its JIT settles...%n", journal, raw.describe());
      int[] warmRound = {0};
      common.put(
          "rawWarmup",
          Warmup.untilJitSettles(
              "raw",
              () -> {
                EntitySpread warmSpread = new EntitySpread("w" + run + "-" + warmRound[0]++, buckets, concurrency, BUCKET_PERSISTENCE_PREFIX);
                return ClosedLoop.run(concurrency, Duration.ZERO, chunk, index -> raw.operation(warmSpread, index, row)).opsPerSec();
              },
              WARMUP_CHUNK,
              raw::jitSeconds,
              4,
              maxChunks,
              env.warmupCpus(),
              env.serverCpus,
              warmupPids(raw.pid())));
      raw.pause();
      node.process.resume();

      // Store every key once before the clock runs (every bucket starts: an empty recovery each).
      System.out.printf("cache-put %s: storing %d keys once (%d buckets)...%n", journal, keys, buckets);
      double primeSeconds = CacheRequests.prefill(node.httpPort, namespace, keys, value, ttl, concurrency);
      common.put("primeSeconds", PersistCommand.round(primeSeconds));
      System.out.printf("  stored in %.1f s (%.0f PUTs/s, buckets starting)%n", primeSeconds, keys / primeSeconds);

      System.out.printf("cache-put %s: warming up the node (5 s chunks until its JIT settles, at most %d s)...%n", journal, warmup);
      common.put(
          "troupeWarmup",
          Warmup.untilJitSettles(
              "troupe",
              () -> ClosedLoop.run(concurrency, Duration.ZERO, chunk, index -> put(node.httpPort, keysOfWorker.get(index), value)).opsPerSec(),
              WARMUP_CHUNK,
              node.process::jitSeconds,
              4,
              maxChunks,
              env.warmupCpus(),
              env.serverCpus,
              warmupPids(node.process.pid())));

      for (int round = 1; round <= rounds; round++) {
        Map<String, Object> result = new LinkedHashMap<>(common);
        result.put("round", round);
        node.process.resume();
        if (round == 1) {
          env.maybeProfile(node.process, "cache-put-" + journal + "-node", seconds + 2);
        }
        System.out.printf("cache-put %s round %d/%d: troupe, %d PUTs in flight over %d keys in %d buckets, %ds...%n",
            journal, round, rounds, concurrency, keys, buckets, seconds);
        double jit0 = node.process.jitSeconds();
        CpuMeter troupeCpu = storeCpu(node.process.pid());
        LoadResult troupe =
            ClosedLoop.run(concurrency, Duration.ofSeconds(2), window, index -> put(node.httpPort, keysOfWorker.get(index), value), troupeCpu);
        result.put("troupeNodeCpuSeconds", PersistCommand.round(troupeCpu.secondsOf(node.process.pid())));
        result.put("troupeJitSeconds", PersistCommand.round(node.process.jitSeconds() - jit0));
        System.out.println("  troupe: " + troupe.summary());
        result.put("troupe", troupe);
        result.put("nodeRssMb", PersistCommand.round(node.process.procStatusMb("VmRSS")));
        verify(node.httpPort, result);

        node.process.pause();
        raw.resume();
        EntitySpread rawSpread = new EntitySpread("r" + run + "-" + round, buckets, concurrency, BUCKET_PERSISTENCE_PREFIX);
        System.out.printf("cache-put %s round %d/%d: raw %s, %d in flight...%n", journal, round, rounds, raw.describe(), concurrency);
        double rawJit0 = raw.jitSeconds();
        LoadResult rawResult =
            ClosedLoop.run(concurrency, Duration.ofSeconds(2), window, index -> raw.operation(rawSpread, index, row), storeCpu(raw.pid()));
        result.put("rawJitSeconds", PersistCommand.round(raw.jitSeconds() - rawJit0));
        raw.pause();
        System.out.println("  raw: " + rawResult.summary());
        result.put("raw", rawResult);
        double ratio = troupe.opsPerSec() / rawResult.opsPerSec();
        result.put("ratio", PersistCommand.round(ratio));
        result.put("cpuPerOpRatio", PersistCommand.round(troupe.serverCpuMicrosPerOp() / rawResult.serverCpuMicrosPerOp()));
        System.out.printf("cache-put %s round %d: troupe %.0f PUTs/s, raw %.0f rows/s, ratio %.2f%n",
            journal, round, troupe.opsPerSec(), rawResult.opsPerSec(), ratio);
        env.record(result);
      }
    } finally {
      env.removeData(nodeDir);
      env.removeData(rawDir);
    }
    return 0;
  }

  /**
   * Keys {@code k0 .. k<keys-1>} by worker: a key goes to worker {@code bucket % concurrency},
   * with {@code bucket = floorMod(key.hashCode(), buckets)} as the cache assigns buckets.
   */
  private List<List<String>> keysOfWorkers() {
    List<List<String>> byWorker = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      byWorker.add(new ArrayList<>());
    }
    for (int k = 0; k < keys; k++) {
      String key = CacheRequests.key(k);
      byWorker.get(Math.floorMod(key.hashCode(), buckets) % concurrency).add(key);
    }
    for (int w = 0; w < concurrency; w++) {
      if (byWorker.get(w).isEmpty()) {
        throw new IllegalArgumentException("--keys too few: worker " + w + " has no key");
      }
    }
    return byWorker;
  }

  /** A worker's operation: PUT its keys in turn, 204 expected. */
  private ClosedLoop.Operation put(int port, List<String> ownKeys, byte[] value) {
    HttpConnection connection = new HttpConnection("127.0.0.1", port);
    List<byte[]> requests = ownKeys.stream().map(k -> CacheRequests.put(port, namespace, k, value, ttl)).toList();
    int[] next = {0};
    return ClosedLoop.Operation.closing(
        connection,
        () -> {
          int i = next[0];
          next[0] = (i + 1) % requests.size();
          CacheRequests.expectStored(connection.exchange(requests.get(i)), ownKeys.get(i));
        });
  }

  /** Every key stored once (prefill) must be there: the namespace's stats count them all. */
  private void verify(int port, Map<String, Object> result) throws Exception {
    HttpConnection.Response r = HttpConnection.once("127.0.0.1", port, "GET", "/cache/" + namespace + "/stats", null);
    if (r.status() != 200) {
      throw new IllegalStateException("GET /cache/" + namespace + "/stats: HTTP " + r.status() + " " + r.text());
    }
    JsonNode stats = BenchEnv.JSON.readTree(r.text());
    result.put("stats", stats);
    long entries = stats.path("entries").asLong(-1);
    if (entries != keys) {
      throw new IllegalStateException("the namespace holds " + entries + " entries, expected " + keys + ": " + r.text());
    }
    CacheRequests.expectHit(port, namespace, CacheRequests.key(0), valueBytes);
    CacheRequests.expectHit(port, namespace, CacheRequests.key(keys - 1), valueBytes);
  }

  private long[] warmupPids(long server) {
    return java.util.stream.LongStream.of(server, journal.equals("cassandra") ? cassandraPid : 0).filter(p -> p > 0).toArray();
  }

  private CpuMeter storeCpu(long... pids) {
    List<Long> all = new ArrayList<>();
    for (long pid : pids) {
      if (pid > 0) {
        all.add(pid);
      }
    }
    if (journal.equals("cassandra") && cassandraPid > 0) {
      all.add(cassandraPid);
    }
    return new CpuMeter(all);
  }
}
