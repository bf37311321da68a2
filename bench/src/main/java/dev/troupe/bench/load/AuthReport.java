package dev.troupe.bench.load;

import static dev.troupe.bench.load.ReportCommand.is;
import static dev.troupe.bench.load.ReportCommand.median;
import static dev.troupe.bench.load.ReportCommand.num;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bench.load.ReportCommand.Col;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** The {@code auth} and {@code auth-login} results of a results file, as Markdown. */
final class AuthReport {

  static final double TARGET = 0.9;

  private final List<JsonNode> runs;
  private final List<JsonNode> logins;

  AuthReport(List<JsonNode> rows) {
    this.runs = rows.stream().filter(r -> is(r, "bench", "auth")).toList();
    this.logins = rows.stream().filter(r -> is(r, "bench", "auth-login")).toList();
  }

  /** Rows of the summary table. */
  void summaryRows(StringBuilder md) {
    if (!runs.isEmpty()) {
      String path = runs.get(0).get("path").asText();
      double fixed = median(runs, r -> num(r, "fixed", "rps"));
      double cached = median(runs, r -> num(r, "cachedRatio"));
      md.append(String.format(Locale.ROOT, "| auth GET %s, bearer token, warm cache (%d runs) | %,.0f req/s | %,.0f req/s (fixed principal, no authenticator) | %.2f | >= %.1f | %s |%n",
          path, runs.size(), median(runs, r -> num(r, "cached", "rps")), fixed, cached, TARGET, cached >= TARGET ? "yes" : "**no**"));
      md.append(String.format(Locale.ROOT, "| auth GET %s, bearer token, no cache: RS256 check per request (%d runs) | %,.0f req/s | %,.0f req/s (fixed principal) | %.2f | none | |%n",
          path, runs.size(), median(runs, r -> num(r, "uncached", "rps")), fixed, median(runs, r -> num(r, "uncachedRatio"))));
    }
    for (int clients : clientCounts()) {
      List<JsonNode> series = series(clients);
      md.append(String.format(Locale.ROOT, "| login, %d client(s) (%d runs) | median %.0f ms, p90 %.0f ms, %.1f logins/s | | | | |%n",
          clients, series.size(), median(series, r -> num(r, "medianMs")), median(series, r -> num(r, "p90Ms")), median(series, r -> num(r, "loginsPerSec"))));
    }
  }

  /** The detailed section. */
  void section(StringBuilder md) {
    if (!runs.isEmpty()) {
      wrkSection(md);
    }
    if (!logins.isEmpty()) {
      loginSection(md);
    }
  }

  private void wrkSection(StringBuilder md) {
    JsonNode first = runs.get(0);
    md.append(String.format(Locale.ROOT, "### Auth, GET %s: wrk -t%d -c%d, %d s per measurement, the same `Authorization: Bearer` header (%d-character token) to all three nodes%n%n",
        first.get("path").asText(), first.get("threads").asInt(), first.get("connections").asInt(), first.get("seconds").asInt(), first.path("tokenChars").asInt()));
    md.append("Nodes: fixed = `FixedPrincipalAuthenticator` (reads no header); cached = the default `TokenAuthenticator`, verified-token cache warm; "
        + "uncached = `TokenAuthenticator` with `troupe.identity.tokens.cache-size = 0` (RS256 signature checked on every request). ");
    md.append(String.format(Locale.ROOT, "All three also run with `%s`. Cached node: `%s`.%n%n", first.path("sharedNodeProperties"), first.path("node").asText()));
    for (String name : List.of("fixed", "cached", "uncached")) {
      md.append(ReportCommand.warmup(name + " warm-up (req/s per 5 s wrk run; JIT CPU s per run)", first.path(name + "Warmup")));
    }
    md.append('\n');
    List<Col> cols = new ArrayList<>();
    for (String name : List.of("fixed", "cached", "uncached")) {
      cols.add(new Col(name + " req/s", r -> num(r, name, "rps"), "%,.0f"));
    }
    cols.add(new Col("cached/fixed", r -> num(r, "cachedRatio"), "%.2f"));
    cols.add(new Col("uncached/fixed", r -> num(r, "uncachedRatio"), "%.2f"));
    for (String name : List.of("fixed", "cached", "uncached")) {
      cols.add(new Col(name + " p50 ms", r -> num(r, name, "p50Ms"), "%.2f"));
      cols.add(new Col(name + " p99 ms", r -> num(r, name, "p99Ms"), "%.2f"));
    }
    for (String name : List.of("fixed", "cached", "uncached")) {
      cols.add(new Col(name + " CPU us/req", r -> num(r, name, "serverCpuMicrosPerRequest"), "%.0f"));
    }
    cols.add(new Col("non-2xx", r -> num(r, "fixed", "non2xx") + num(r, "cached", "non2xx") + num(r, "uncached", "non2xx"), "%.0f"));
    for (String name : List.of("fixed", "cached", "uncached")) {
      cols.add(new Col("JIT s in window, " + name, r -> num(r, name, "jitSeconds"), "%.2f"));
    }
    ReportCommand.table(md, runs, cols);
  }

  private void loginSection(StringBuilder md) {
    JsonNode first = logins.get(0);
    JsonNode hash = first.path("hashAlone");
    md.append(String.format(Locale.ROOT, "### Login, POST /auth/login on the cached node (the others frozen): %d timed logins per series after %d untimed, Argon2id m=%d KiB, t=%d, p=%d (the defaults)%n%n",
        first.path("series").path(0).path("logins").asInt(), first.path("loginWarmup").asInt(),
        hash.path("memoryKib").asInt(), hash.path("iterations").asInt(), hash.path("parallelism").asInt()));
    md.append("Each client is one keep-alive connection logging in as the sys-admin again and again; the node runs on the server cores.\n\n");
    for (int clients : clientCounts()) {
      md.append(String.format(Locale.ROOT, "%d client(s):%n%n", clients));
      ReportCommand.table(md, series(clients), List.of(
          new Col("median ms", r -> num(r, "medianMs"), "%.1f"),
          new Col("p90 ms", r -> num(r, "p90Ms"), "%.1f"),
          new Col("max ms", r -> num(r, "maxMs"), "%.1f"),
          new Col("logins/s", r -> num(r, "loginsPerSec"), "%.1f"),
          new Col("node CPU ms/login", r -> num(r, "serverCpuMsPerLogin"), "%.1f"),
          new Col("errors", r -> num(r, "errors"), "%.0f")));
    }
    double hashMs = median(logins, r -> num(r, "hashAlone", "medianMs"));
    double cpuMs = median(series(1), r -> num(r, "serverCpuMsPerLogin"));
    double loginMs = median(series(1), r -> num(r, "medianMs"));
    md.append(String.format(Locale.ROOT,
        "One Argon2id check alone, same parameters and code (`PasswordHasher`), measured in the load generator's JVM on the client core: median %.1f ms (p90 %.1f ms). "
            + "Against a 1-client login (median %.1f ms, %.1f ms of node CPU per login) that is %.0f%% of the login's time and %.0f%% of its CPU: %s%n%n",
        hashMs, median(logins, r -> num(r, "hashAlone", "p90Ms")), loginMs, cpuMs, 100 * hashMs / loginMs, 100 * hashMs / cpuMs,
        hashMs >= 0.5 * cpuMs
            ? "the hash dominates the cost of a login; the session, token signing and HTTP work around it are the rest."
            : "here the hash does **not** dominate; the rest (session and account writes, token signing, HTTP) costs more."));
  }

  private TreeSet<Integer> clientCounts() {
    TreeSet<Integer> counts = new TreeSet<>();
    logins.forEach(l -> l.path("series").forEach(s -> counts.add(s.path("clients").asInt())));
    return counts;
  }

  /** Every run's series with that many clients. */
  private List<JsonNode> series(int clients) {
    List<JsonNode> found = new ArrayList<>();
    logins.forEach(l -> l.path("series").forEach(s -> {
      if (s.path("clients").asInt() == clients) {
        found.add(s);
      }
    }));
    return found;
  }
}
