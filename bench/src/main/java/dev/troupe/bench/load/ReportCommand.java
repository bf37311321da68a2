package dev.troupe.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Turns a results file (JSON lines from persist, replay, http, auth, cache and rooms) into Markdown
 * tables: every repetition's figures, then the median of each column, and a summary of ratios
 * against targets.
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Markdown tables with medians from a results file.")
final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "results file (JSON lines)")
  Path results;

  @Option(names = "--out", description = "write the Markdown here instead of stdout")
  Path out;

  private List<JsonNode> rows;

  /** One column: header and how to read it from a result. */
  record Col(String header, Function<JsonNode, Double> value, String format) {}

  @Override
  public Integer call() throws Exception {
    rows = new ArrayList<>();
    for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        rows.add(BenchEnv.JSON.readTree(line));
      }
    }
    StringBuilder md = new StringBuilder();
    summary(md);
    persist(md, "h2");
    persist(md, "cassandra");
    replay(md);
    http(md);
    new AuthReport(rows).section(md);
    new CacheReport(rows).section(md);
    new RoomsReport(rows).section(md);
    new SecurityReport(rows).section(md);
    if (out == null) {
      System.out.print(md);
    } else {
      Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    }
    return 0;
  }

  private void summary(StringBuilder md) {
    md.append("### Summary (medians of the repetitions)\n\n");
    md.append("| benchmark | Troupe | baseline | ratio (median of per-run ratios) | target | met |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (String journal : List.of("h2", "cassandra")) {
      List<JsonNode> runs = select(r -> is(r, "bench", "persist") && is(r, "journal", journal));
      if (runs.isEmpty()) {
        continue;
      }
      double troupe = median(runs, r -> num(r, "troupe", "opsPerSec"));
      double raw = median(runs, r -> num(r, "raw", "opsPerSec"));
      double ratio = median(runs, r -> num(r, "ratio"));
      String baseline = journal.equals("h2") ? "raw JDBC via H2 TCP server" : "raw java-driver inserts";
      md.append(String.format(Locale.ROOT, "| persist, %s journal (%d runs) | %,.0f events/s | %,.0f rows/s (%s) | %.2f | >= 0.5 | %s |%n",
          journal, runs.size(), troupe, raw, baseline, ratio, ratio >= 0.5 ? "yes" : "**no**"));
      List<JsonNode> embedded = select(r -> is(r, "bench", "persist-embedded") && is(r, "journal", journal));
      if (!embedded.isEmpty()) {
        double rows = median(embedded, r -> num(r, "rawEmbedded", "opsPerSec"));
        double ratioEmbedded = median(embedded, r -> num(r, "ratioEmbedded"));
        md.append(String.format(Locale.ROOT, "| persist, h2 journal vs H2 embedded (%d runs) | %,.0f events/s | %,.0f rows/s (raw JDBC, H2 in-process, no network) | %.2f | >= 0.5 | %s |%n",
            embedded.size(), troupe, rows, ratioEmbedded, ratioEmbedded >= 0.5 ? "yes" : "**no**"));
      }
    }
    for (String journal : List.of("h2", "cassandra")) {
      for (String snapshots : List.of("off", "on")) {
        List<JsonNode> runs = select(r -> is(r, "bench", "replay") && is(r, "journal", journal) && is(r, "snapshots", snapshots));
        if (runs.isEmpty()) {
          continue;
        }
        md.append(String.format(Locale.ROOT, "| replay %,d events, %s, snapshots %s (%d runs) | recovery %,.0f ms (%s %,.0f events/s) | | | | heap after GC %.0f -> %.0f MB |%n",
            runs.get(0).get("events").asLong(), journal, snapshots, runs.size(),
            median(runs, r -> num(r, "recoveryMs")), snapshots.equals("on") ? "effective" : "replayed", median(runs, r -> num(r, "eventsPerSec")),
            median(runs, r -> num(r, "heapAfterGcBeforeMb")), median(runs, r -> num(r, "heapAfterGcAfterMb"))));
      }
    }
    List<JsonNode> http = select(r -> is(r, "bench", "http"));
    if (!http.isEmpty()) {
      double ratio = median(http, r -> num(r, "ratio"));
      md.append(String.format(Locale.ROOT, "| http GET %s (%d runs) | %,.0f req/s | %,.0f req/s (bare Pekko HTTP) | %.2f | >= 0.8 | %s |%n",
          http.get(0).get("path").asText(), http.size(), median(http, r -> num(r, "troupe", "rps")), median(http, r -> num(r, "bare", "rps")),
          ratio, ratio >= 0.8 ? "yes" : "**no**"));
    }
    new AuthReport(rows).summaryRows(md);
    new CacheReport(rows).summaryRows(md);
    new RoomsReport(rows).summaryRows(md);
    new SecurityReport(rows).summaryRows(md);
    md.append('\n');
  }

  private void persist(StringBuilder md, String journal) {
    List<JsonNode> runs = select(r -> is(r, "bench", "persist") && is(r, "journal", journal));
    if (runs.isEmpty()) {
      return;
    }
    JsonNode first = runs.get(0);
    md.append(String.format(Locale.ROOT, "### Persist, %s journal: %d in flight over %d entities, %d s windows, event %d bytes serialized%n%n",
        journal, first.get("concurrency").asInt(), first.get("entities").asInt(), first.get("seconds").asInt(), first.get("eventBytes").asInt()));
    md.append(String.format(Locale.ROOT, "Raw baseline: %s. Entities started (one empty recovery each) in %.1f s (%s entities/s).%n%n",
        first.path("rawKind").asText(), first.path("primeSeconds").asDouble(), first.path("entityStartsPerSec").asText()));
    md.append(warmup("Node warm-up (events/s per 5 s chunk; JIT CPU s per chunk)", first.path("troupeWarmup")));
    md.append(warmup("Raw store warm-up (rows/s; JIT s)", first.path("rawWarmup")));
    md.append('\n');
    List<Col> cols = new ArrayList<>(List.of(
        new Col("Troupe events/s", r -> num(r, "troupe", "opsPerSec"), "%,.0f"),
        new Col("Troupe p50 ms", r -> num(r, "troupe", "p50Ms"), "%.2f"),
        new Col("Troupe p99 ms", r -> num(r, "troupe", "p99Ms"), "%.2f"),
        new Col("raw rows/s", r -> num(r, "raw", "opsPerSec"), "%,.0f"),
        new Col("raw p50 ms", r -> num(r, "raw", "p50Ms"), "%.2f"),
        new Col("raw p99 ms", r -> num(r, "raw", "p99Ms"), "%.2f"),
        new Col("ratio", r -> num(r, "ratio"), "%.2f"),
        new Col("Troupe server CPU us/event", r -> num(r, "troupe", "serverCpuMicrosPerOp"), "%.0f"),
        new Col("raw server CPU us/row", r -> num(r, "raw", "serverCpuMicrosPerOp"), "%.0f")));
    cols.add(new Col("errors", r -> num(r, "troupe", "errors") + num(r, "raw", "errors"), "%.0f"));
    cols.add(new Col("node RSS MB", r -> num(r, "nodeRssMb"), "%.0f"));
    cols.add(new Col("load generator CPU s, Troupe window", r -> num(r, "troupe", "clientCpuSeconds"), "%.1f"));
    cols.add(new Col("load generator CPU s, raw window", r -> num(r, "raw", "clientCpuSeconds"), "%.1f"));
    cols.add(new Col("other CPU s", r -> num(r, "troupe", "otherCpuSeconds") + num(r, "raw", "otherCpuSeconds"), "%.1f"));
    if (journal.equals("cassandra") && runs.stream().anyMatch(r -> r.has("troupeNodeCpuSeconds"))) {
      cols.add(new Col("node's share of Troupe server CPU", r -> num(r, "troupeNodeCpuSeconds") / num(r, "troupe", "serverCpuSeconds"), "%.2f"));
    }
    cols.add(new Col("JIT s in window, Troupe", r -> num(r, "troupeJitSeconds"), "%.2f"));
    cols.add(new Col("JIT s in window, raw", r -> num(r, "rawJitSeconds"), "%.2f"));
    table(md, runs, cols);
    List<JsonNode> embedded = select(r -> is(r, "bench", "persist-embedded") && is(r, "journal", journal));
    if (!embedded.isEmpty()) {
      md.append("Extra baseline, after the rounds: raw JDBC into H2 embedded in one JVM on the server core (no network; its client threads share that core).\n\n");
      table(md, embedded, List.of(
          new Col("embedded rows/s", r -> num(r, "rawEmbedded", "opsPerSec"), "%,.0f"),
          new Col("p50 ms", r -> num(r, "rawEmbedded", "p50Ms"), "%.2f"),
          new Col("p99 ms", r -> num(r, "rawEmbedded", "p99Ms"), "%.2f"),
          new Col("CPU us/row", r -> num(r, "rawEmbedded", "serverCpuMicrosPerOp"), "%.0f"),
          new Col("Troupe events/s (same round)", r -> num(r, "troupe", "opsPerSec"), "%,.0f"),
          new Col("ratio", r -> num(r, "ratioEmbedded"), "%.2f")));
    }
  }

  private void replay(StringBuilder md) {
    List<JsonNode> runs = select(r -> is(r, "bench", "replay"));
    if (runs.isEmpty()) {
      return;
    }
    for (String journal : List.of("h2", "cassandra")) {
      for (String snapshots : List.of("off", "on")) {
        List<JsonNode> group = select(r -> is(r, "bench", "replay") && is(r, "journal", journal) && is(r, "snapshots", snapshots));
        if (group.isEmpty()) {
          continue;
        }
        JsonNode first = group.get(0);
        md.append(String.format(Locale.ROOT, "### Replay, %s journal, snapshots %s (snapshot-every %d): %,d events in one entity, recovered on a fresh node%n%n",
            journal, snapshots, first.get("snapshotEvery").asLong(), first.get("events").asLong()));
        table(md, group, List.of(
            new Col("recovery ms", r -> num(r, "recoveryMs"), "%,.0f"),
            new Col("events/s", r -> num(r, "eventsPerSec"), "%,.0f"),
            new Col("first GET ms", r -> num(r, "getMs"), "%,.0f"),
            new Col("heap after GC before MB", r -> num(r, "heapAfterGcBeforeMb"), "%.1f"),
            new Col("heap after GC after MB", r -> num(r, "heapAfterGcAfterMb"), "%.1f"),
            new Col("RSS before MB", r -> num(r, "rssBeforeMb"), "%.0f"),
            new Col("RSS after MB", r -> num(r, "rssAfterMb"), "%.0f"),
            new Col("peak RSS before MB", r -> num(r, "peakRssBeforeMb"), "%.0f"),
            new Col("peak RSS after MB", r -> num(r, "peakRssAfterMb"), "%.0f"),
            new Col("history written in s", r -> num(r, "writeSeconds"), "%.1f")));
      }
    }
  }

  private void http(StringBuilder md) {
    List<JsonNode> runs = select(r -> is(r, "bench", "http"));
    if (runs.isEmpty()) {
      return;
    }
    JsonNode first = runs.get(0);
    md.append(String.format(Locale.ROOT, "### HTTP, GET %s: wrk -t%d -c%d, %d s per measurement%n%n",
        first.get("path").asText(), first.get("threads").asInt(), first.get("connections").asInt(), first.get("seconds").asInt()));
    md.append(String.format(Locale.ROOT, "Troupe node: `%s`.%n%n", first.path("node").asText()));
    md.append(warmup("Troupe warm-up (req/s per 5 s wrk run; JIT CPU s per run)", first.path("troupeWarmup")));
    md.append(warmup("Bare warm-up", first.path("bareWarmup")));
    md.append('\n');
    table(md, runs, List.of(
        new Col("Troupe req/s", r -> num(r, "troupe", "rps"), "%,.0f"),
        new Col("Troupe p50 ms", r -> num(r, "troupe", "p50Ms"), "%.2f"),
        new Col("Troupe p99 ms", r -> num(r, "troupe", "p99Ms"), "%.2f"),
        new Col("bare req/s", r -> num(r, "bare", "rps"), "%,.0f"),
        new Col("bare p50 ms", r -> num(r, "bare", "p50Ms"), "%.2f"),
        new Col("bare p99 ms", r -> num(r, "bare", "p99Ms"), "%.2f"),
        new Col("ratio", r -> num(r, "ratio"), "%.2f"),
        new Col("Troupe CPU us/req", r -> num(r, "troupe", "serverCpuMicrosPerRequest"), "%.0f"),
        new Col("bare CPU us/req", r -> num(r, "bare", "serverCpuMicrosPerRequest"), "%.0f"),
        new Col("non-2xx", r -> num(r, "troupe", "non2xx") + num(r, "bare", "non2xx"), "%.0f"),
        new Col("JIT s in window, Troupe", r -> num(r, "troupe", "jitSeconds"), "%.2f"),
        new Col("JIT s in window, bare", r -> num(r, "bare", "jitSeconds"), "%.2f")));
  }

  static String warmup(String label, JsonNode warmup) {
    if (warmup.isMissingNode()) {
      return "";
    }
    return String.format(Locale.ROOT, "- %s: %s; %s%s%n", label, warmup.path("throughput"), warmup.path("jitSeconds"),
        warmup.path("settled").asBoolean() ? "" : " (**JIT not settled** within the warm-up limit)");
  }

  static void table(StringBuilder md, List<JsonNode> runs, List<Col> cols) {
    md.append("| run |");
    cols.forEach(c -> md.append(' ').append(c.header()).append(" |"));
    md.append("\n|---|");
    cols.forEach(c -> md.append("---:|"));
    md.append('\n');
    for (int i = 0; i < runs.size(); i++) {
      md.append("| ").append(i + 1).append(" |");
      JsonNode run = runs.get(i);
      cols.forEach(c -> md.append(' ').append(String.format(Locale.ROOT, c.format(), c.value().apply(run))).append(" |"));
      md.append('\n');
    }
    md.append("| **median** |");
    cols.forEach(c -> md.append(" **").append(String.format(Locale.ROOT, c.format(), median(runs, c.value()))).append("** |"));
    md.append("\n\n");
  }

  private List<JsonNode> select(Predicate<JsonNode> filter) {
    return rows.stream().filter(filter).toList();
  }

  static boolean is(JsonNode row, String field, String value) {
    return row.has(field) && row.get(field).asText().equals(value);
  }

  static double num(JsonNode row, String... path) {
    JsonNode node = row;
    for (String p : path) {
      node = node == null ? null : node.get(p);
    }
    return node == null || node.isNull() ? Double.NaN : node.asDouble();
  }

  static double median(List<JsonNode> runs, Function<JsonNode, Double> value) {
    double[] values = runs.stream().mapToDouble(value::apply).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }
}
