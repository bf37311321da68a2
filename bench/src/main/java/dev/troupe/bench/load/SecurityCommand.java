package dev.troupe.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The cost of the protections: two nodes in one run, one with everything on (security headers,
 * CORS with an allowlisted {@code Origin} on every request, per-IP and per-principal rate limits,
 * trusted-proxy address resolution), one with {@code troupe.http.protections.enabled = off}; the
 * same {@code wrk} command against the same routes on both: an authenticated one ({@code GET
 * /bench/whoami} with a bearer token) and a public one ({@code GET /health/live}). The rate limits
 * are set high enough that the load is never refused: every bucket is still taken per request, so
 * the measurement pays for the limiter without answering 429s. Prints on/off (target >= 0.85).
 */
@Command(name = "security", mixinStandardHelpOptions = true, description = "Requests/s with all protections on vs off, same routes, same wrk, same run.")
final class SecurityCommand implements Callable<Integer> {

  static final String ORIGIN = "https://app.example";
  static final List<String> PATHS = List.of("/bench/whoami", "/health/live");

  /**
   * The "on" node: defaults plus an allowlisted origin; every bench node also gets {@link
   * TroupeNodeProcess#LOAD_LIMITS}, limits this load never reaches.
   */
  static final List<String> ON = List.of("-Dtroupe.http.protections.cors.allowed-origins.0=" + ORIGIN);

  static final List<String> OFF = List.of("-Dtroupe.http.protections.enabled=off");

  @Mixin BenchEnv env = new BenchEnv();

  @Mixin WrkOptions load = new WrkOptions();

  @Override
  public Integer call() throws Exception {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("bench", "security");
    load.describe(common, env);
    common.put("onProperties", ON);
    common.put("offProperties", OFF);
    common.put("origin", ORIGIN);
    Path onDir = env.freshDir("security-on");
    Path offDir = env.freshDir("security-off");
    try (TroupeNodeProcess onNode = node(onDir, ON);
        TroupeNodeProcess offNode = node(offDir, OFF)) {
      common.put("node", onNode.describe);
      String onToken = new LoginLoad(onNode.httpPort, AuthCommand.ADMIN, AuthCommand.ADMIN_PASSWORD).token(Duration.ofSeconds(60));
      String offToken = new LoginLoad(offNode.httpPort, AuthCommand.ADMIN, AuthCommand.ADMIN_PASSWORD).token(Duration.ofSeconds(60));
      WrkTarget on = new WrkTarget("on", onNode.httpPort, onNode.process);
      WrkTarget off = new WrkTarget("off", offNode.httpPort, offNode.process);
      WrkTarget[] all = {on, off};
      Map<WrkTarget, Wrk> loads = new LinkedHashMap<>();
      loads.put(on, new Wrk(env.clientCpus, load.threads, load.connections, headers(onToken)));
      loads.put(off, new Wrk(env.clientCpus, load.threads, load.connections, headers(offToken)));
      for (WrkTarget target : all) {
        WrkTarget.only(target, all);
        String token = target == on ? onToken : offToken;
        for (String path : PATHS) {
          HttpConnection.Response probe = HttpConnection.once("127.0.0.1", target.port(), "GET", path, null, headers(token));
          if (probe.status() != 200) {
            throw new IllegalStateException(target.name() + " answers " + probe.status() + " " + probe.text() + " on " + path);
          }
        }
        System.out.printf("security: %s node answers; warming up (at most %d s)...%n", target.name(), load.warmup);
        common.put(
            target.name() + "Warmup",
            Warmup.untilJitSettles(
                target.name(),
                () -> loads.get(target).rps(target.url(PATHS.get(0)), HttpCommand.WARMUP_CHUNK),
                HttpCommand.WARMUP_CHUNK,
                target.process()::jitSeconds,
                4,
                Math.max(2, load.warmup / HttpCommand.WARMUP_CHUNK),
                env.warmupCpus(),
                env.serverCpus,
                target.process().pid()));
      }
      for (int round = 1; round <= load.rounds; round++) {
        for (String path : PATHS) {
          Map<String, Object> result = new LinkedHashMap<>(common);
          result.put("round", round);
          result.put("path", path);
          List<WrkTarget> order = new ArrayList<>(List.of(all));
          if (round % 2 == 0) {
            Collections.reverse(order);
          }
          result.put("order", String.join(",", order.stream().map(WrkTarget::name).toList()));
          for (WrkTarget target : order) {
            WrkTarget.only(target, all);
            result.put(target.name(), loads.get(target).measure("security", target.name(), target.url(path), target.process().pid(), load.seconds));
          }
          double ratio = Ratios.ratio(result, "on", "off", "rps");
          result.put("ratio", PersistCommand.round(ratio));
          System.out.printf("security %s round %d: on/off %.2f (target >= 0.85)%n", path, round, ratio);
          env.record(result);
        }
      }
    } finally {
      env.removeData(onDir);
      env.removeData(offDir);
    }
    return 0;
  }

  private TroupeNodeProcess node(Path dir, List<String> properties) throws Exception {
    List<String> all = new ArrayList<>(AuthCommand.SHARED_PROPERTIES);
    all.addAll(properties);
    return TroupeNodeProcess.start(env, dir, all, "h2", null, true);
  }

  private static List<String> headers(String token) {
    return List.of("Authorization: Bearer " + token, "Origin: " + ORIGIN);
  }
}
