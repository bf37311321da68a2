package dev.troupe.bench.load;

import dev.troupe.bench.node.FixedPrincipalAuthenticator;
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
 * Authentication overhead: the same authenticated route ({@code GET /bench/whoami}, the bench
 * extension) on three nodes in one run, with the same {@code wrk} command and the same {@code
 * Authorization: Bearer} header: (fixed) an authenticator that admits everyone as one principal
 * without reading any header; (cached) the default TokenAuthenticator with a warm verified-token
 * cache; (uncached) TokenAuthenticator with {@code troupe.identity.tokens.cache-size = 0}, so
 * every request verifies the RS256 signature. Prints cached/fixed (target >= 0.9) and
 * uncached/fixed. Then times logins on the cached node (production Argon2id cost) with 1 and 2
 * concurrent clients, next to one Argon2id check measured alone.
 */
@Command(name = "auth", mixinStandardHelpOptions = true, description = "An authenticated route: fixed principal vs bearer token (cached, uncached), same wrk, same run; login cost.")
final class AuthCommand implements Callable<Integer> {

  static final String PATH = "/bench/whoami";
  static final String ADMIN = "admin";
  static final String ADMIN_PASSWORD = "bench-admin-password";

  /**
   * Settings every node gets: the first sys-admin's password; tokens that outlive the run (the
   * default 5 minutes would expire during the warm-ups), which changes nothing per request; and
   * room for every login of the run without evicting (and revoking) an older session, so the
   * login timings are those of an ordinary login and the measured token stays valid.
   */
  static final List<String> SHARED_PROPERTIES =
      List.of(
          "-Dtroupe.identity.admin.password=" + ADMIN_PASSWORD,
          "-Dtroupe.identity.tokens.access-token-ttl=2h",
          "-Dtroupe.identity.limits.sessions-per-user=1000");

  @Mixin BenchEnv env = new BenchEnv();

  @Mixin WrkOptions load = new WrkOptions();

  @Option(names = "--logins", defaultValue = "50", description = "timed logins per client count")
  int logins;

  @Option(names = "--login-warmup", defaultValue = "60", description = "untimed logins before each timed series")
  int loginWarmup;

  @Option(names = "--login-clients", defaultValue = "1,2", split = ",", description = "concurrent login clients, one series each")
  List<Integer> loginClients;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("bench", "auth");
    common.put("path", PATH);
    load.describe(common, env);
    common.put("sharedNodeProperties", SHARED_PROPERTIES);
    Path fixedDir = env.freshDir("auth-fixed");
    Path cachedDir = env.freshDir("auth-cached");
    Path uncachedDir = env.freshDir("auth-uncached");
    // All three nodes live for the whole run, on the same cores; those not measured are frozen.
    try (TroupeNodeProcess fixedNode = node(fixedDir, "-Dtroupe.http.authenticator=" + FixedPrincipalAuthenticator.class.getName());
        TroupeNodeProcess cachedNode = node(cachedDir);
        TroupeNodeProcess uncachedNode = node(uncachedDir, "-Dtroupe.identity.tokens.cache-size=0")) {
      common.put("node", cachedNode.describe);
      common.put("nodeGc", cachedNode.process.gcName());
      LoginLoad cachedLogins = new LoginLoad(cachedNode.httpPort, ADMIN, ADMIN_PASSWORD);
      String cachedToken = cachedLogins.token(Duration.ofSeconds(60));
      String uncachedToken = new LoginLoad(uncachedNode.httpPort, ADMIN, ADMIN_PASSWORD).token(Duration.ofSeconds(60));
      common.put("tokenChars", cachedToken.length());
      WrkTarget fixed = new WrkTarget("fixed", fixedNode.httpPort, fixedNode.process);
      WrkTarget cached = new WrkTarget("cached", cachedNode.httpPort, cachedNode.process);
      WrkTarget uncached = new WrkTarget("uncached", uncachedNode.httpPort, uncachedNode.process);
      WrkTarget[] all = {fixed, cached, uncached};
      // The fixed node gets the same header (it never reads it): every node parses the same request.
      Map<WrkTarget, String> tokens = Map.of(fixed, cachedToken, cached, cachedToken, uncached, uncachedToken);
      Map<WrkTarget, Wrk> loads = new LinkedHashMap<>();
      for (WrkTarget target : all) {
        loads.put(target, new Wrk(env.clientCpus, load.threads, load.connections, List.of(bearer(tokens.get(target)))));
      }
      for (WrkTarget target : all) {
        WrkTarget.only(target, all);
        HttpConnection.Response probe = HttpConnection.once("127.0.0.1", target.port(), "GET", PATH, null, List.of(bearer(tokens.get(target))));
        int anonymous = HttpConnection.once("127.0.0.1", target.port(), "GET", PATH, null).status();
        if (probe.status() != 200) {
          throw new IllegalStateException(target.name() + " answers " + probe.status() + " " + probe.text() + " on " + PATH);
        }
        common.put(target.name() + "Body", probe.text());
        common.put(target.name() + "StatusWithoutToken", anonymous);
        System.out.printf("auth: %s answers %d %s (without a token: %d); warming up (5 s wrk runs until its JIT settles, at most %d s)...%n",
            target.name(), probe.status(), probe.text(), anonymous, load.warmup);
        common.put(
            target.name() + "Warmup",
            Warmup.untilJitSettles(
                target.name(),
                () -> loads.get(target).rps(target.url(PATH), HttpCommand.WARMUP_CHUNK),
                HttpCommand.WARMUP_CHUNK,
                target.process()::jitSeconds,
                4,
                Math.max(2, load.warmup / HttpCommand.WARMUP_CHUNK),
                env.warmupCpus(),
                env.serverCpus,
                target.process().pid()));
      }
      for (int round = 1; round <= load.rounds; round++) {
        Map<String, Object> result = new LinkedHashMap<>(common);
        result.put("round", round);
        List<WrkTarget> order = new ArrayList<>(List.of(all));
        if (round % 2 == 0) {
          Collections.reverse(order);
        }
        result.put("order", String.join(",", order.stream().map(WrkTarget::name).toList()));
        for (WrkTarget target : order) {
          WrkTarget.only(target, all);
          double jit0 = target.process().jitSeconds();
          Map<String, Object> measured = loads.get(target).measure("auth", target.name(), target.url(PATH), target.process().pid(), load.seconds);
          measured.put("jitSeconds", PersistCommand.round(target.process().jitSeconds() - jit0));
          measured.put("rssMb", PersistCommand.round(target.process().procStatusMb("VmRSS")));
          result.put(target.name(), measured);
        }
        double cachedRatio = ratio(result, "cached", "fixed", "rps");
        double uncachedRatio = ratio(result, "uncached", "fixed", "rps");
        result.put("cachedRatio", PersistCommand.round(cachedRatio));
        result.put("uncachedRatio", PersistCommand.round(uncachedRatio));
        result.put("cachedCpuPerRequestRatio", PersistCommand.round(ratio(result, "cached", "fixed", "serverCpuMicrosPerRequest")));
        result.put("uncachedCpuPerRequestRatio", PersistCommand.round(ratio(result, "uncached", "fixed", "serverCpuMicrosPerRequest")));
        System.out.printf("auth %s round %d: cached/fixed %.2f (target >= 0.9), uncached/fixed %.2f%n", PATH, round, cachedRatio, uncachedRatio);
        env.record(result);
      }
      WrkTarget.only(cached, all);
      env.record(logins(common, cachedLogins, cachedNode.process));
    } finally {
      env.removeData(fixedDir);
      env.removeData(cachedDir);
      env.removeData(uncachedDir);
    }
    return 0;
  }

  /** Timed logins on the cached node (the others frozen), then one Argon2id check alone. */
  private Map<String, Object> logins(Map<String, Object> common, LoginLoad load, ServerProcess node) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("bench", "auth-login");
    result.put("node", common.get("node"));
    result.put("serverCpus", env.serverCpus);
    result.put("clientCpus", env.clientCpus);
    result.put("loginWarmup", loginWarmup);
    System.out.printf("auth: %d logins after %d untimed, per client count %s...%n", logins, loginWarmup, loginClients);
    List<Map<String, Object>> series = new ArrayList<>();
    for (int clients : loginClients) {
      series.add(load.measure(clients, loginWarmup, logins, node.pid()));
    }
    result.put("series", series);
    result.put("hashAlone", HashCost.measure(loginWarmup, logins));
    return result;
  }

  private TroupeNodeProcess node(Path dir, String... properties) throws Exception {
    List<String> all = new ArrayList<>(SHARED_PROPERTIES);
    all.addAll(List.of(properties));
    return TroupeNodeProcess.start(env, dir, all, "h2", null, true);
  }

  private static String bearer(String token) {
    return "Authorization: Bearer " + token;
  }

  @SuppressWarnings("unchecked")
  private static double ratio(Map<String, Object> result, String target, String baseline, String field) {
    double a = ((Number) ((Map<String, Object>) result.get(target)).get(field)).doubleValue();
    double b = ((Number) ((Map<String, Object>) result.get(baseline)).get(field)).doubleValue();
    return a / b;
  }
}
