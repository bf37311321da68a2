package dev.troupe.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bench.node.FixedPrincipalAuthenticator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A cache GET/PUT mix (90/10 by default) over 10k keys, 64 connections, with the same {@code wrk}
 * command and Lua script ({@code cache-mix.lua}) against three targets in one run: a single Troupe
 * node on H2, in (durable) a durable namespace and (memory) a {@code durable=off} namespace of the
 * same node, and (redis) a minimal Node.js HTTP service on a local Redis with AOF everysec ({@link
 * RedisPeer}). Every target's keys are stored once first, so every GET is a hit. Servers on the
 * server cores, wrk on the client cores; only the target being measured runs, the others are
 * frozen. Rounds interleave the targets (the order rotates); each measured run follows 2 s of
 * unmeasured load on its target. Prints durable/redis and memory/redis (target >= 1.0). After the
 * last round it checks that both namespaces still hold every key and, from the stopped node's H2
 * file, that the {@code durable=off} namespace wrote no journal row.
 */
@Command(name = "cache-mix", mixinStandardHelpOptions = true, description = "Cache GET/PUT mix: Troupe (durable and memory namespaces) vs Node.js + Redis, same wrk script, same run.")
final class CacheMixCommand implements Callable<Integer> {

  static final String SCRIPT = "cache-mix.lua";
  static final double TARGET = 1.0;

  @Mixin BenchEnv env = new BenchEnv();

  @Option(names = "--redis-peer", required = true, description = "folder of the Node.js service (bench/redis-peer, npm install done)")
  Path redisPeer;

  @Option(names = "--node-bin", defaultValue = "node", description = "the Node.js executable")
  String nodeBin;

  @Option(names = "--redis-server", defaultValue = "redis-server", description = "the redis-server executable")
  String redisServer;

  @Option(names = "--keys", defaultValue = "10000", description = "keys (k0 .. k<keys-1>), drawn uniformly")
  int keys;

  @Option(names = "--put-percent", defaultValue = "10", description = "share of PUTs in the mix, percent (the rest are GETs)")
  int putPercent;

  @Option(names = "--value-bytes", defaultValue = "100", description = "bytes per value")
  int valueBytes;

  @Option(names = "--ttl", defaultValue = "1h", description = "ttl of every PUT (prefill too)")
  String ttl;

  @Option(names = "--connections", defaultValue = "64", description = "wrk connections")
  int connections;

  @Option(names = "--threads", defaultValue = "1", description = "wrk threads")
  int threads;

  @Option(names = "--seconds", defaultValue = "10", description = "measured wrk run per target and round")
  int seconds;

  static final int WARMUP_CHUNK = 5;

  /** Unmeasured load on a target right before each measured run. */
  static final int SETTLE_SECONDS = 2;

  @Option(names = "--warmup", defaultValue = "150", description = "longest warm-up per target, seconds: 5 s wrk runs until its JIT has settled")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3", description = "measured rounds, each measuring every target (the order rotates)")
  int rounds;

  @Option(names = "--durable-namespace", defaultValue = "bench-durable", description = "Troupe's durable namespace")
  String durableNamespace;

  @Option(names = "--memory-namespace", defaultValue = "bench-mem", description = "Troupe's durable=off namespace (declared on the node with -Dtroupe.cache.namespaces.<name>.durable=off, max-bytes=64MiB)")
  String memoryNamespace;

  @Option(names = "--redis-namespace", defaultValue = "bench", description = "the namespace part of the Node.js service's paths (its Redis keys are <ns>:<key>)")
  String redisNamespace;

  @Option(names = "--targets", defaultValue = "durable,memory,redis", split = ",", description = "for diagnosis: measure only these of durable, memory, redis (the figures in docs/benchmarks.md use all three)")
  List<String> only;

  /** One thing measured: a name in the results, a port, the namespace in its paths, the processes serving it. */
  record Target(String name, int port, String namespace, List<ServerProcess> processes) {

    String url() {
      return "http://127.0.0.1:" + port;
    }

    long[] pids() {
      return processes.stream().mapToLong(ServerProcess::pid).toArray();
    }

    double jitSeconds() {
      // Node.js and Redis have no C1/C2 threads: 0 (their warm-up then runs the minimum chunks).
      return processes.stream().mapToDouble(ServerProcess::jitSeconds).sum();
    }
  }

  @Override
  public Integer call() throws Exception {
    Path workDir = env.workDir.toAbsolutePath();
    Files.createDirectories(workDir);
    Path script = workDir.resolve(SCRIPT);
    try (InputStream in = CacheMixCommand.class.getClassLoader().getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is not on the classpath");
      }
      Files.write(script, in.readAllBytes());
    }
    byte[] value = CacheRequests.value(valueBytes);
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("bench", "cache-mix");
    common.put("keys", keys);
    common.put("putPercent", putPercent);
    common.put("valueBytes", valueBytes);
    common.put("ttl", ttl);
    common.put("connections", connections);
    common.put("threads", threads);
    common.put("seconds", seconds);
    common.put("warmupSeconds", warmup);
    common.put("serverCpus", env.serverCpus);
    common.put("clientCpus", env.clientCpus);
    common.put("warmupCpus", env.warmupCpus());
    common.put("journal", "h2");
    common.put("durableNamespace", durableNamespace);
    common.put("memoryNamespace", memoryNamespace);
    Path nodeDir = env.freshDir("cache-mix-troupe");
    Path peerDir = env.freshDir("cache-mix-redis");
    List<String> nodeProperties =
        List.of(
            "-Dtroupe.http.authenticator=" + FixedPrincipalAuthenticator.class.getName(),
            "-Dtroupe.cache.namespaces." + memoryNamespace + ".durable=off",
            // A memory bucket replicates its entries as one value: its share of max-bytes must
            // fit in a remoting frame, which the default 256MiB over 64 buckets does not.
            "-Dtroupe.cache.namespaces." + memoryNamespace + ".max-bytes=64MiB");
    common.put("nodeProperties", nodeProperties);
    for (String name : only) {
      if (!List.of("durable", "memory", "redis").contains(name)) {
        throw new IllegalArgumentException("--targets: durable, memory or redis, not " + name);
      }
    }
    boolean troupe = only.contains("durable") || only.contains("memory");
    try (TroupeNodeProcess node = troupe ? TroupeNodeProcess.start(env, nodeDir, nodeProperties, "h2", null, false) : null;
        RedisPeer peer = only.contains("redis") ? RedisPeer.start(env.serverCpus, redisPeer, nodeBin, redisServer, peerDir) : null) {
      List<Target> targets = new ArrayList<>();
      if (node != null) {
        common.put("node", node.describe);
        common.put("nodeGc", node.process.gcName());
        if (only.contains("durable")) {
          targets.add(new Target("durable", node.httpPort, durableNamespace, List.of(node.process)));
        }
        if (only.contains("memory")) {
          targets.add(new Target("memory", node.httpPort, memoryNamespace, List.of(node.process)));
        }
      }
      if (peer != null) {
        common.put("redisPeer", peer.describe);
        targets.add(new Target("redis", peer.httpPort, redisNamespace, peer.processes()));
      }
      Wrk wrk = new Wrk(env.clientCpus, threads, connections, List.of(), script.toString(), List.of());
      for (Target target : targets) {
        only(target, targets);
        System.out.printf("cache-mix: %s, storing %d keys in %s...%n", target.name(), keys, target.namespace());
        double prefill = CacheRequests.prefill(target.port(), target.namespace(), keys, value, ttl, 16);
        common.put(target.name() + "PrefillSeconds", PersistCommand.round(prefill));
        CacheRequests.expectHit(target.port(), target.namespace(), CacheRequests.key(keys - 1), valueBytes);
        System.out.printf("  stored in %.1f s; warming up (5 s wrk runs until its JIT settles, at most %d s)...%n", prefill, warmup);
        Wrk load = wrk.withScriptArgs(scriptArgs(target));
        common.put(
            target.name() + "Warmup",
            Warmup.untilJitSettles(
                target.name(),
                () -> load.rps(target.url(), WARMUP_CHUNK),
                WARMUP_CHUNK,
                target::jitSeconds,
                4,
                Math.max(2, warmup / WARMUP_CHUNK),
                env.warmupCpus(),
                env.serverCpus,
                target.pids()));
      }
      for (int round = 1; round <= rounds; round++) {
        Map<String, Object> result = new LinkedHashMap<>(common);
        result.put("round", round);
        List<Target> order = new ArrayList<>(targets);
        Collections.rotate(order, -(round - 1));
        result.put("order", String.join(",", order.stream().map(Target::name).toList()));
        for (Target target : order) {
          only(target, targets);
          if (round == 1 && node != null && target.processes().contains(node.process)) {
            env.maybeProfile(node.process, "cache-mix-" + target.name(), seconds);
          }
          Wrk load = wrk.withScriptArgs(scriptArgs(target));
          // Unmeasured: wakes what idled meanwhile (a bucket passivated after 2 idle minutes
          // recovers here, not in the window) and lets a just-continued process settle.
          load.run(target.url(), SETTLE_SECONDS);
          double jit0 = target.jitSeconds();
          Map<String, Object> measured = load.measure("cache-mix", target.name(), target.url(), target.pids(), seconds);
          measured.put("jitSeconds", PersistCommand.round(target.jitSeconds() - jit0));
          double rss = 0;
          for (ServerProcess p : target.processes()) {
            rss += p.procStatusMb("VmRSS");
          }
          measured.put("rssMb", PersistCommand.round(rss));
          result.put(target.name(), measured);
        }
        double redisRps = rps(result, "redis");
        double ratioDurable = rps(result, "durable") / redisRps;
        double ratioMemory = rps(result, "memory") / redisRps;
        if (!Double.isNaN(ratioDurable)) {
          result.put("ratioDurable", PersistCommand.round(ratioDurable));
        }
        if (!Double.isNaN(ratioMemory)) {
          result.put("ratioMemory", PersistCommand.round(ratioMemory));
        }
        System.out.printf("cache-mix round %d: durable %.0f req/s, memory %.0f req/s, node+redis %.0f req/s; ratios %.2f, %.2f (target >= %.1f)%n",
            round, rps(result, "durable"), rps(result, "memory"), redisRps, ratioDurable, ratioMemory, TARGET);
        if (round == rounds) {
          // Nothing evicted or lost: every namespace still holds every key.
          for (Target target : targets) {
            if (target.name().equals("redis")) {
              continue;
            }
            only(target, targets);
            result.put(target.name() + "Stats", stats(target.port(), target.namespace()));
          }
          if (node != null) {
            // What reached the journal: the memory namespace must have written nothing.
            node.close();
            result.put("journalRows", journalRows(nodeDir));
          }
        }
        env.record(result);
      }
    } finally {
      env.removeData(nodeDir);
      env.removeData(peerDir);
    }
    return 0;
  }

  private List<String> scriptArgs(Target target) {
    return List.of(target.namespace(), Integer.toString(keys), Integer.toString(putPercent), Integer.toString(valueBytes), ttl);
  }

  /** Continues the target's processes and freezes every other server. */
  private static void only(Target target, List<Target> all) throws Exception {
    Set<ServerProcess> others = new LinkedHashSet<>();
    all.forEach(t -> others.addAll(t.processes()));
    target.processes().forEach(others::remove);
    for (ServerProcess p : others) {
      p.pause();
    }
    for (ServerProcess p : target.processes()) {
      p.resume();
    }
  }

  /** The namespace's stats; fails unless it holds every key (nothing evicted or lost). */
  private JsonNode stats(int port, String namespace) throws Exception {
    HttpConnection.Response r = HttpConnection.once("127.0.0.1", port, "GET", "/cache/" + namespace + "/stats", null);
    if (r.status() != 200) {
      throw new IllegalStateException("GET /cache/" + namespace + "/stats: HTTP " + r.status() + " " + r.text());
    }
    JsonNode stats = BenchEnv.JSON.readTree(r.text());
    if (stats.path("entries").asLong(-1) != keys) {
      throw new IllegalStateException(namespace + " holds " + stats.path("entries") + " entries, expected " + keys + ": " + r.text());
    }
    return stats;
  }

  /**
   * Journal rows of the (stopped) node per namespace, read from its H2 file: the durable namespace
   * has one per PUT (fewer if events are deleted on snapshots), the {@code durable=off} one must
   * have none (else it was not declared so, and the comparison would be mislabelled: fails).
   */
  private Map<String, Long> journalRows(Path nodeDir) throws Exception {
    Map<String, Long> rows = new LinkedHashMap<>();
    String url = "jdbc:h2:file:" + nodeDir.resolve("journal") + ";DATABASE_TO_UPPER=false;ACCESS_MODE_DATA=r";
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM \"event_journal\" WHERE \"persistence_id\" LIKE ?")) {
      for (String namespace : List.of(durableNamespace, memoryNamespace)) {
        // Any entity type, tenant "bench": "<type>|bench:<namespace>~<bucket>".
        count.setString(1, "%|" + FixedPrincipalAuthenticator.PRINCIPAL.org() + ":" + namespace + "~%");
        try (ResultSet r = count.executeQuery()) {
          r.next();
          rows.put(namespace, r.getLong(1));
        }
      }
    }
    System.out.printf("  journal rows: %s%n", rows);
    if (only.contains("memory") && rows.get(memoryNamespace) > 0) {
      throw new IllegalStateException("the durable=off namespace " + memoryNamespace + " wrote " + rows.get(memoryNamespace)
          + " journal rows: is -Dtroupe.cache.namespaces." + memoryNamespace + ".durable=off still how a namespace is declared?");
    }
    if (only.contains("durable") && rows.get(durableNamespace) == 0) {
      throw new IllegalStateException("the durable namespace " + durableNamespace + " wrote no journal row");
    }
    return rows;
  }

  /** A target's req/s in a round's result; NaN when it was not measured. */
  @SuppressWarnings("unchecked")
  private static double rps(Map<String, Object> result, String target) {
    Map<String, Object> measured = (Map<String, Object>) result.get(target);
    return measured == null ? Double.NaN : ((Number) measured.get("rps")).doubleValue();
  }
}
