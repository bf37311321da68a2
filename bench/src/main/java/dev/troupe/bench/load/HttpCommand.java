package dev.troupe.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * HTTP overhead: {@code GET /health/live} on a Troupe node in its default configuration (Kamon
 * on, access log off, no extension) against a bare Pekko HTTP hello-world answering the same
 * body, with the same {@code wrk} command, servers on the server cores and wrk on the client
 * cores, in one run. Prints the ratio troupe/bare.
 */
@Command(name = "http", mixinStandardHelpOptions = true, description = "A trivial Troupe route vs a bare Pekko HTTP hello-world, same wrk, same run.")
final class HttpCommand implements Callable<Integer> {

  @Mixin BenchEnv env = new BenchEnv();

  @Mixin WrkOptions load = new WrkOptions();

  static final int WARMUP_CHUNK = 5;

  @Option(names = "--path", defaultValue = "/health/live", description = "the route both servers answer")
  String path;

  @Option(names = "--bare-first", description = "measure the bare server first in odd rounds")
  boolean bareFirst;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("bench", "http");
    common.put("path", path);
    load.describe(common, env);
    Path troupeDir = env.freshDir("http-troupe");
    Path bareDir = env.freshDir("http-bare");
    int barePort = ServerProcess.freePorts(1)[0];
    List<String> bareCommand =
        env.jvm("-cp", env.classpath, "dev.troupe.bench.bare.BareHttpServer", "127.0.0.1", Integer.toString(barePort));
    // Both servers live for the whole run, on the same cores; the one not measured is frozen.
    try (TroupeNodeProcess node = TroupeNodeProcess.start(env, troupeDir, List.of(), "h2", null, false);
        ServerProcess bare = ServerProcess.start("bare pekko-http", env.serverCpus, bareCommand, bareDir.resolve("bare.log"))) {
      bare.awaitHttp(barePort, path, Duration.ofSeconds(60));
      common.put("node", node.describe);
      common.put("nodeGc", node.process.gcName());
      common.put("bareGc", bare.gcName());
      Wrk wrk = new Wrk(env.clientCpus, load.threads, load.connections, List.of());
      WrkTarget troupe = new WrkTarget("troupe", node.httpPort, node.process);
      WrkTarget bareTarget = new WrkTarget("bare", barePort, bare);
      for (WrkTarget target : List.of(troupe, bareTarget)) {
        WrkTarget.only(target, troupe, bareTarget);
        HttpConnection.Response probe = HttpConnection.once("127.0.0.1", target.port(), "GET", path, null);
        common.put(target.name() + "Body", probe.text());
        System.out.printf("http: %s answers %d %s; warming up (5 s wrk runs until its JIT settles, at most %d s)...%n",
            target.name(), probe.status(), probe.text(), load.warmup);
        common.put(
            target.name() + "Warmup",
            Warmup.untilJitSettles(
                target.name(),
                () -> wrk.rps(target.url(path), WARMUP_CHUNK),
                WARMUP_CHUNK,
                target.process()::jitSeconds,
                4,
                Math.max(2, load.warmup / WARMUP_CHUNK),
                env.warmupCpus(),
                env.serverCpus,
                target.process().pid()));
      }
      for (int round = 1; round <= load.rounds; round++) {
        Map<String, Object> result = new LinkedHashMap<>(common);
        result.put("round", round);
        List<WrkTarget> order = (round % 2 == 1) != bareFirst ? List.of(troupe, bareTarget) : List.of(bareTarget, troupe);
        result.put("order", order.get(0).name() + "," + order.get(1).name());
        for (WrkTarget target : order) {
          WrkTarget.only(target, troupe, bareTarget);
          if (round == 1 && target == troupe) {
            env.maybeProfile(node.process, "http-troupe-node", load.seconds);
          }
          double jit0 = target.process().jitSeconds();
          Map<String, Object> measured = wrk.measure("http", target.name(), target.url(path), target.process().pid(), load.seconds);
          measured.put("jitSeconds", PersistCommand.round(target.process().jitSeconds() - jit0));
          measured.put("rssMb", PersistCommand.round(target.process().procStatusMb("VmRSS")));
          result.put(target.name(), measured);
        }
        double troupeRps = (double) ((Map<?, ?>) result.get("troupe")).get("rps");
        double bareRps = (double) ((Map<?, ?>) result.get("bare")).get("rps");
        double ratio = troupeRps / bareRps;
        result.put("ratio", PersistCommand.round(ratio));
        result.put("cpuPerRequestRatio", PersistCommand.round(cpuPerRequest(result, "troupe") / cpuPerRequest(result, "bare")));
        System.out.printf("http %s round %d: troupe %.0f req/s, bare %.0f req/s, ratio %.2f (target >= 0.8)%n", path, round, troupeRps, bareRps, ratio);
        env.record(result);
      }
    } finally {
      env.removeData(troupeDir);
      env.removeData(bareDir);
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static double cpuPerRequest(Map<String, Object> result, String target) {
    return ((Number) ((Map<String, Object>) result.get(target)).get("serverCpuMicrosPerRequest")).doubleValue();
  }
}
