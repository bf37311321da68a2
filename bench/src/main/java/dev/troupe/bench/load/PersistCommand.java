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
 * Persist throughput and latency through a node's sharded entities (HTTP POST, 200 once the event
 * is in the journal), then, in the same run, the raw store's ceiling with the same row shape, the
 * same concurrency and batch size 1. Prints the ratio troupe/raw.
 */
@Command(name = "persist", mixinStandardHelpOptions = true, description = "Persist events/s through a node vs raw store inserts, same run.")
final class PersistCommand implements Callable<Integer> {

  @Mixin BenchEnv env = new BenchEnv();

  @Option(names = "--journal", required = true, description = "h2 or cassandra")
  String journal;

  @Option(names = "--cassandra", defaultValue = "127.0.0.1:9042", description = "Cassandra contact point (journal cassandra)")
  String cassandra;

  @Option(names = "--cassandra-pid", defaultValue = "0", description = "pid of the Cassandra server JVM, to count its CPU time (journal cassandra)")
  long cassandraPid;

  @Option(names = "--concurrency", defaultValue = "32", description = "requests (inserts) in flight")
  int concurrency;

  @Option(names = "--entities", defaultValue = "1000", description = "entities (rows' persistence ids) written round-robin")
  int entities;

  @Option(names = "--seconds", defaultValue = "10", description = "measured window per side and round")
  int seconds;

  @Option(names = "--warmup", defaultValue = "180", description = "longest warm-up of each server JVM, seconds (5 s chunks until its JIT has settled)")
  int warmup;

  @Option(names = "--payload-chars", defaultValue = "100", description = "payload characters per event")
  int payloadChars;

  @Option(names = "--rounds", defaultValue = "3", description = "measured rounds (Troupe window, then raw window) on the same warmed-up servers")
  int rounds;

  @Option(names = "--embedded", description = "H2: also measure raw inserts into H2 embedded in one JVM on the server cores (no network)")
  boolean embedded;

  static final int WARMUP_CHUNK = 5;

  private long acknowledged;

  @Override
  public Integer call() throws Exception {
    if (!journal.equals("h2") && !journal.equals("cassandra")) {
      throw new IllegalArgumentException("--journal must be h2 or cassandra");
    }
    String run = Long.toString(System.currentTimeMillis(), 36);
    String body = "{\"payload\":\"" + payload(payloadChars) + "\"}";
    Duration window = Duration.ofSeconds(seconds);
    Duration chunk = Duration.ofSeconds(WARMUP_CHUNK);
    int maxChunks = Math.max(2, warmup / WARMUP_CHUNK);
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("bench", "persist");
    common.put("journal", journal);
    common.put("concurrency", concurrency);
    common.put("entities", entities);
    common.put("seconds", seconds);
    common.put("payloadChars", payloadChars);
    common.put("clientCpus", BenchEnv.ownAffinity());
    common.put("serverCpus", env.serverCpus);
    common.put("warmupCpus", env.warmupCpus());

    Path nodeDir = env.freshDir("persist-" + journal + "-node");
    Path rawDir = env.freshDir("persist-" + journal + "-raw");
    try (TroupeNodeProcess node = TroupeNodeProcess.start(
            env,
            nodeDir,
            // Persist measures the write path, not authentication (the auth bench measures that).
            List.of("-Dtroupe.http.authenticator=" + FixedPrincipalAuthenticator.class.getName()),
            journal,
            cassandra,
            true);
        RawStore raw = journal.equals("h2") ? RawStore.h2(env, rawDir) : RawStore.cassandra(cassandra, cassandraPid)) {
      // Only the server being measured runs: the other one is frozen (SIGSTOP) meanwhile.
      raw.pause();
      common.put("node", node.describe);
      common.put("nodeGc", node.process.gcName());
      JsonNode size =
          BenchEnv.JSON.readTree(
              HttpConnection.once("127.0.0.1", node.httpPort, "GET", "/bench-meta/event-size?chars=" + payloadChars, null).text());
      RowShape row = new RowShape(size.get("bytes").asInt(), size.get("serializerId").asInt(), size.get("manifest").asText());
      common.put("eventBytes", row.bytes());
      common.put("eventManifest", row.manifest());
      common.put("rawKind", raw.describe());
      // The raw store first, while the node is frozen: a frozen node's idle entities would be
      // passivated (after 2 minutes) if it waited out a long raw warm-up between its own.
      node.process.pause();
      raw.resume();
      System.out.printf("persist %s: warming up the raw store (%s), 5 s chunks until its JIT settles...%n", journal, raw.describe());
      int[] warmRound = {0};
      common.put(
          "rawWarmup",
          Warmup.untilJitSettles(
              "raw",
              () -> {
                EntitySpread warmSpread = new EntitySpread("w" + run + "-" + warmRound[0]++, entities, concurrency);
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

      EntitySpread spread = new EntitySpread("p" + run, entities, concurrency);
      // Start every entity once (an empty recovery each) before the clock runs: the figure is
      // the steady write path, not entity start-up. How long that took is reported too.
      System.out.printf("persist %s: starting %d entities...%n", journal, entities);
      double primeSeconds = prime(node.httpPort, spread);
      common.put("primeSeconds", round(primeSeconds));
      common.put("entityStartsPerSec", Math.round(entities / primeSeconds));
      System.out.printf("  started in %.1f s (%.0f entities/s)%n", primeSeconds, entities / primeSeconds);

      System.out.printf("persist %s: warming up the node (5 s chunks until its JIT settles, at most %d s)...%n", journal, warmup);
      common.put(
          "troupeWarmup",
          Warmup.untilJitSettles(
              "troupe",
              () -> {
                LoadResult r = ClosedLoop.run(concurrency, Duration.ZERO, chunk, index -> post(node.httpPort, spread, index, body));
                acknowledged += r.totalOk();
                return r.opsPerSec();
              },
              WARMUP_CHUNK,
              node.process::jitSeconds,
              4,
              maxChunks,
              env.warmupCpus(),
              env.serverCpus,
              warmupPids(node.process.pid())));

      List<LoadResult> troupeRounds = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        Map<String, Object> result = new LinkedHashMap<>(common);
        result.put("round", round);
        node.process.resume();
        if (round == 1) {
          env.maybeProfile(node.process, "persist-" + journal + "-node", seconds + 2);
        }
        System.out.printf("persist %s round %d/%d: troupe, %d in flight over %d entities, %ds...%n",
            journal, round, rounds, concurrency, entities, seconds);
        double jit0 = node.process.jitSeconds();
        CpuMeter troupeCpu = storeCpu(node.process.pid());
        LoadResult troupe =
            ClosedLoop.run(
                concurrency,
                Duration.ofSeconds(2),
                window,
                index -> post(node.httpPort, spread, index, body),
                troupeCpu);
        // Where the server CPU went: the node itself (the rest is Cassandra's).
        result.put("troupeNodeCpuSeconds", round(troupeCpu.secondsOf(node.process.pid())));
        result.put("troupeJitSeconds", round(node.process.jitSeconds() - jit0));
        System.out.println("  troupe: " + troupe.summary());
        troupeRounds.add(troupe);
        result.put("troupe", troupe);
        result.put("nodeRssMb", round(node.process.procStatusMb("VmRSS")));
        verify(node.httpPort, spread, result, troupe);

        // The raw store: same row shape, same concurrency, batch size 1; fresh rows each round.
        node.process.pause();
        raw.resume();
        EntitySpread rawSpread = new EntitySpread("r" + run + "-" + round, entities, concurrency);
        System.out.printf("persist %s round %d/%d: raw %s, %d in flight...%n", journal, round, rounds, raw.describe(), concurrency);
        double rawJit0 = raw.jitSeconds();
        LoadResult rawResult =
            ClosedLoop.run(concurrency, Duration.ofSeconds(2), window, index -> raw.operation(rawSpread, index, row), storeCpu(raw.pid()));
        result.put("rawJitSeconds", round(raw.jitSeconds() - rawJit0));
        raw.pause();
        System.out.println("  raw: " + rawResult.summary());
        result.put("raw", rawResult);
        double ratio = troupe.opsPerSec() / rawResult.opsPerSec();
        result.put("ratio", round(ratio));
        result.put("cpuPerOpRatio", round(troupe.serverCpuMicrosPerOp() / rawResult.serverCpuMicrosPerOp()));
        System.out.printf("persist %s round %d: troupe %.0f events/s, raw %.0f/s, ratio %.2f (target >= 0.5)%n",
            journal, round, troupe.opsPerSec(), rawResult.opsPerSec(), ratio);
        env.record(result);
      }
      if (journal.equals("h2") && embedded) {
        embeddedH2(common, row, troupeRounds);
      }
    } finally {
      env.removeData(nodeDir);
      env.removeData(rawDir);
    }
    return 0;
  }

  /** Worker {@code index}'s operation: POST one event to the next of its entities. */
  private ClosedLoop.Operation post(int port, EntitySpread spread, int index, String body) {
    HttpConnection connection = new HttpConnection("127.0.0.1", port);
    EntitySpread.Cursor cursor = spread.cursor(index);
    List<byte[]> requests = new ArrayList<>();
    for (int e = index; e < entities; e += concurrency) {
      requests.add(HttpConnection.request("POST", "127.0.0.1", port, "/bench/" + spread.id(e), body));
    }
    return ClosedLoop.Operation.closing(
        connection,
        () -> {
          int entity = cursor.next();
          HttpConnection.Response response = connection.exchange(requests.get((entity - index) / concurrency));
          if (response.status() != 200) {
            throw new IllegalStateException("HTTP " + response.status() + ": " + response.text());
          }
        });
  }

  /** Every acknowledged write must be in the entities' state. */
  private void verify(int port, EntitySpread spread, Map<String, Object> result, LoadResult troupe) throws Exception {
    long held = 0;
    for (int e = 0; e < entities; e++) {
      HttpConnection.Response r = HttpConnection.once("127.0.0.1", port, "GET", "/bench/" + spread.id(e), null);
      held += BenchEnv.JSON.readTree(r.text()).get("events").asLong();
    }
    acknowledged += troupe.totalOk();
    result.put("acknowledgedSoFar", acknowledged);
    result.put("heldByEntities", held);
    if (held < acknowledged) {
      throw new IllegalStateException("entities hold " + held + " events but " + acknowledged + " were acknowledged");
    }
  }

  /** GETs every entity once, {@code concurrency} at a time; returns the seconds it took. */
  private double prime(int port, EntitySpread spread) throws Exception {
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int w = 0; w < concurrency; w++) {
      int first = w;
      Thread thread =
          new Thread(
              () -> {
                try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
                  for (int e = first; e < entities; e += concurrency) {
                    HttpConnection.Response r =
                        connection.exchange(HttpConnection.request("GET", "127.0.0.1", port, "/bench/" + spread.id(e), null));
                    if (r.status() != 200) {
                      throw new IllegalStateException("GET /bench/" + spread.id(e) + ": HTTP " + r.status() + " " + r.text());
                    }
                  }
                } catch (Exception ex) {
                  failures.add(ex);
                }
              },
              "prime-" + w);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The in-process baseline, after the rounds (the node is frozen): H2 embedded in its own JVM on
   * the server cores, no network; the same warm-up, then {@code rounds} windows. One result line
   * ("persist-embedded") per window, with the ratio to the Troupe round of the same number.
   */
  private void embeddedH2(Map<String, Object> common, RowShape row, List<LoadResult> troupeRounds) throws Exception {
    Path dir = env.freshDir("persist-h2-embedded");
    List<String> command =
        env.jvm("-cp", env.classpath, BenchMain.class.getName(), "raw-h2-embedded",
            "--dir", dir.toString(), "--concurrency", Integer.toString(concurrency), "--entities", Integer.toString(entities),
            "--seconds", Integer.toString(seconds), "--rounds", Integer.toString(rounds), "--warmup", Integer.toString(warmup),
            "--warmup-cpus", env.warmupCpus(), "--server-cpus", env.serverCpus,
            "--bytes", Integer.toString(row.bytes()), "--serializer-id", Integer.toString(row.serializerId()), "--manifest", row.manifest());
    System.out.printf("persist h2: raw JDBC into H2 embedded in one JVM on the server cpus, %d in flight...%n", concurrency);
    try (ServerProcess p = ServerProcess.start("raw h2 embedded", env.serverCpus, command, dir.resolve("embedded.log"))) {
      p.awaitLog("DONE", Duration.ofSeconds(warmup + (seconds + 5L) * rounds + 120));
      List<String> lines = p.tail(200).lines().filter(l -> l.startsWith("RAW ")).toList();
      p.tail(200).lines().filter(l -> l.contains("warm-up")).forEach(System.out::println);
      for (int i = 0; i < lines.size(); i++) {
        LoadResult embeddedResult = BenchEnv.JSON.readValue(lines.get(i).substring(4), LoadResult.class);
        Map<String, Object> result = new LinkedHashMap<>(common);
        result.put("bench", "persist-embedded");
        result.put("round", i + 1);
        result.put("rawEmbedded", embeddedResult);
        result.put("troupe", troupeRounds.get(i));
        result.put("ratioEmbedded", round(troupeRounds.get(i).opsPerSec() / embeddedResult.opsPerSec()));
        System.out.println("  raw h2 (embedded): " + embeddedResult.summary());
        env.record(result);
      }
    } finally {
      env.removeData(dir);
    }
  }

  /** The processes allowed more cores while warming up: the server, and Cassandra (shared). */
  private long[] warmupPids(long server) {
    return java.util.stream.LongStream.of(server, journal.equals("cassandra") ? cassandraPid : 0).filter(p -> p > 0).toArray();
  }

  /** CPU of the given processes plus, on Cassandra, the Cassandra server's (if its pid is known). */
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

  static String payload(int chars) {
    StringBuilder text = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      text.append((char) ('a' + i % 26));
    }
    return text.toString();
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
