package dev.troupe.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code wrk} load every HTTP benchmark uses: pinned to the client cores, fixed threads and
 * connections, optional request headers (e.g. {@code Authorization}) or a Lua script with its
 * arguments (the cache mix); parses its output and measures the servers' CPU while it runs.
 */
final class Wrk {

  private final String clientCpus;
  private final int threads;
  private final int connections;
  private final List<String> headers;
  private final String script;
  private final List<String> scriptArgs;

  Wrk(String clientCpus, int threads, int connections, List<String> headers) {
    this(clientCpus, threads, connections, headers, null, List.of());
  }

  /**
   * @param script a wrk Lua script ({@code -s}), or null
   * @param scriptArgs the script's arguments (after {@code --})
   */
  Wrk(String clientCpus, int threads, int connections, List<String> headers, String script, List<String> scriptArgs) {
    this.clientCpus = clientCpus;
    this.threads = threads;
    this.connections = connections;
    this.headers = List.copyOf(headers);
    this.script = script;
    this.scriptArgs = List.copyOf(scriptArgs);
  }

  /** The same load with other script arguments (e.g. another namespace). */
  Wrk withScriptArgs(List<String> args) {
    return new Wrk(clientCpus, threads, connections, headers, script, args);
  }

  /** One run of {@code duration} seconds; returns wrk's output. */
  String run(String url, int duration) throws Exception {
    List<String> command = new ArrayList<>();
    if (!clientCpus.equals("none")) {
      command.addAll(List.of("taskset", "-c", clientCpus));
    }
    command.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + duration + "s", "--latency"));
    for (String header : headers) {
      command.add("-H");
      command.add(header);
    }
    if (script != null) {
      command.add("-s");
      command.add(script);
    }
    command.add(url);
    if (script != null && !scriptArgs.isEmpty()) {
      command.add("--");
      command.addAll(scriptArgs);
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(duration + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    return out;
  }

  /** Requests per second of one run (for warm-up chunks). */
  double rps(String url, int duration) throws Exception {
    return parse(run(url, duration), "Requests/sec:\\s+([0-9.]+)");
  }

  /**
   * A measured run of {@code seconds} against {@code url}: req/s, latency percentiles, non-2xx responses, socket
   * errors, and the CPU the server process {@code serverPid} used per request.
   */
  Map<String, Object> measure(String bench, String name, String url, long serverPid, int seconds) throws Exception {
    return measure(bench, name, url, new long[] {serverPid}, seconds);
  }

  /** As above, counting the CPU of every server process in {@code serverPids} (e.g. Node.js and Redis). */
  Map<String, Object> measure(String bench, String name, String url, long[] serverPids, int seconds) throws Exception {
    System.out.printf("%s: %s, wrk %ds...%n", bench, name, seconds);
    CpuMeter cpu = CpuMeter.of(serverPids);
    cpu.start();
    String out = run(url, seconds);
    cpu.stop();
    Map<String, Object> measured = new LinkedHashMap<>();
    double rps = parse(out, "Requests/sec:\\s+([0-9.]+)");
    measured.put("rps", rps);
    measured.put("serverCpuSeconds", cpu.seconds());
    // wrk itself is counted here: it is the load, not competing work.
    measured.put("otherCpuSecondsInclWrk", cpu.otherSeconds());
    measured.put("serverCpuMicrosPerRequest", PersistCommand.round(cpu.seconds() * 1e6 / (rps * seconds)));
    measured.put("p50Ms", latencyMs(out, "50%"));
    measured.put("p99Ms", latencyMs(out, "99%"));
    measured.put("p90Ms", latencyMs(out, "90%"));
    measured.put("requests", parse(out, "(\\d+) requests in"));
    measured.put("non2xx", parse(out, "Non-2xx or 3xx responses:\\s+(\\d+)"));
    Matcher errors = Pattern.compile("Socket errors: (.*)").matcher(out);
    measured.put("socketErrors", errors.find() ? errors.group(1).trim() : "none");
    System.out.printf("  %s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, server CPU %.1f s = %.0f us/request%s%n", name, rps,
        measured.get("p50Ms"), measured.get("p99Ms"), cpu.seconds(), measured.get("serverCpuMicrosPerRequest"),
        (double) measured.get("non2xx") > 0 ? ", " + measured.get("non2xx") + " NON-2XX" : "");
    return measured;
  }

  static double parse(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** wrk's "Latency Distribution" lines: "     50%  512.00us", "99%    2.10ms", "1.2s". */
  static double latencyMs(String text, String percentile) {
    Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s|m)\\b").matcher(text);
    if (!m.find()) {
      return -1;
    }
    double value = Double.parseDouble(m.group(1));
    return PersistCommand.round(switch (m.group(2)) {
      case "us" -> value / 1000;
      case "ms" -> value;
      case "s" -> value * 1000;
      default -> value * 60_000;
    });
  }
}
