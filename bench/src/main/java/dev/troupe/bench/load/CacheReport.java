package dev.troupe.bench.load;

import static dev.troupe.bench.load.ReportCommand.is;
import static dev.troupe.bench.load.ReportCommand.median;
import static dev.troupe.bench.load.ReportCommand.num;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bench.load.ReportCommand.Col;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code cache-put} and {@code cache-mix} results of a results file, as Markdown. */
final class CacheReport {

  private final List<JsonNode> rows;

  CacheReport(List<JsonNode> rows) {
    this.rows = rows;
  }

  /** Rows of the summary table. */
  void summaryRows(StringBuilder md) {
    for (String journal : List.of("h2", "cassandra")) {
      List<JsonNode> runs = puts(journal);
      if (runs.isEmpty()) {
        continue;
      }
      String baseline = journal.equals("h2") ? "raw JDBC via H2 TCP server" : "raw java-driver inserts";
      md.append(String.format(Locale.ROOT, "| cache PUT, %s journal, %d-byte values (%d runs) | %,.0f PUTs/s, p99 %.1f ms | %,.0f rows/s (%s, same event row) | %.2f | none | |%n",
          journal, runs.get(0).path("valueBytes").asInt(), runs.size(), median(runs, r -> num(r, "troupe", "opsPerSec")),
          median(runs, r -> num(r, "troupe", "p99Ms")), median(runs, r -> num(r, "raw", "opsPerSec")), baseline,
          median(runs, r -> num(r, "ratio"))));
    }
    List<JsonNode> mix = mix();
    if (!mix.isEmpty()) {
      JsonNode first = mix.get(0);
      String shape = String.format(Locale.ROOT, "cache GET/PUT %d/%d, %,d keys, %d connections",
          100 - first.path("putPercent").asInt(), first.path("putPercent").asInt(), first.path("keys").asInt(), first.path("connections").asInt());
      double redis = median(mix, r -> num(r, "redis", "rps"));
      double redisP99 = median(mix, r -> num(r, "redis", "p99Ms"));
      for (String name : List.of("durable", "memory")) {
        String ratioField = name.equals("durable") ? "ratioDurable" : "ratioMemory";
        double ratio = median(mix, r -> num(r, ratioField));
        md.append(String.format(Locale.ROOT, "| %s, %s namespace, H2 (%d runs) | %,.0f req/s, p99 %.1f ms | %,.0f req/s, p99 %.1f ms (Node.js + Redis, AOF everysec) | %.2f | >= %.1f | %s |%n",
            shape, name.equals("durable") ? "durable" : "`durable=off`", mix.size(), median(mix, r -> num(r, name, "rps")),
            median(mix, r -> num(r, name, "p99Ms")), redis, redisP99, ratio, CacheMixCommand.TARGET, ratio >= CacheMixCommand.TARGET ? "yes" : "**no**"));
      }
    }
  }

  /** The detailed sections. */
  void section(StringBuilder md) {
    for (String journal : List.of("h2", "cassandra")) {
      putSection(md, journal);
    }
    mixSection(md);
  }

  private void putSection(StringBuilder md, String journal) {
    List<JsonNode> runs = puts(journal);
    if (runs.isEmpty()) {
      return;
    }
    JsonNode first = runs.get(0);
    md.append(String.format(Locale.ROOT, "### Cache PUT, %s journal: %d in flight over %,d keys in %d buckets, %d-byte values, %d s windows, `Stored` event %d bytes serialized%n%n",
        journal, first.path("concurrency").asInt(), first.path("keys").asInt(), first.path("buckets").asInt(), first.path("valueBytes").asInt(),
        first.path("seconds").asInt(), first.path("eventBytes").asInt()));
    md.append(String.format(Locale.ROOT, "`PUT /cache/%s/{key}?ttl=1h` (204 once the event is in the journal); each worker writes only keys of its own buckets, "
        + "as `persist` gives each worker its own entities. Raw baseline: %s, one row per bucket-sized persistence id, the same row shape. "
        + "Every key stored once first in %.1f s.%n%n", first.path("namespace").asText(), first.path("rawKind").asText(), first.path("primeSeconds").asDouble()));
    md.append(ReportCommand.warmup("Node warm-up (PUTs/s per 5 s chunk; JIT CPU s per chunk)", first.path("troupeWarmup")));
    md.append(ReportCommand.warmup("Raw store warm-up (rows/s; JIT s)", first.path("rawWarmup")));
    md.append('\n');
    List<Col> cols = new ArrayList<>(List.of(
        new Col("Troupe PUTs/s", r -> num(r, "troupe", "opsPerSec"), "%,.0f"),
        new Col("Troupe p50 ms", r -> num(r, "troupe", "p50Ms"), "%.2f"),
        new Col("Troupe p99 ms", r -> num(r, "troupe", "p99Ms"), "%.2f"),
        new Col("raw rows/s", r -> num(r, "raw", "opsPerSec"), "%,.0f"),
        new Col("raw p50 ms", r -> num(r, "raw", "p50Ms"), "%.2f"),
        new Col("raw p99 ms", r -> num(r, "raw", "p99Ms"), "%.2f"),
        new Col("ratio", r -> num(r, "ratio"), "%.2f"),
        new Col("Troupe server CPU us/PUT", r -> num(r, "troupe", "serverCpuMicrosPerOp"), "%.0f"),
        new Col("raw server CPU us/row", r -> num(r, "raw", "serverCpuMicrosPerOp"), "%.0f"),
        new Col("errors", r -> num(r, "troupe", "errors") + num(r, "raw", "errors"), "%.0f"),
        new Col("node RSS MB", r -> num(r, "nodeRssMb"), "%.0f"),
        new Col("other CPU s", r -> num(r, "troupe", "otherCpuSeconds") + num(r, "raw", "otherCpuSeconds"), "%.1f")));
    if (journal.equals("cassandra")) {
      cols.add(new Col("node's share of Troupe server CPU", r -> num(r, "troupeNodeCpuSeconds") / num(r, "troupe", "serverCpuSeconds"), "%.2f"));
    }
    cols.add(new Col("JIT s in window, Troupe", r -> num(r, "troupeJitSeconds"), "%.2f"));
    cols.add(new Col("JIT s in window, raw", r -> num(r, "rawJitSeconds"), "%.2f"));
    ReportCommand.table(md, runs, cols);
  }

  private void mixSection(StringBuilder md) {
    List<JsonNode> runs = mix();
    if (runs.isEmpty()) {
      return;
    }
    JsonNode first = runs.get(0);
    md.append(String.format(Locale.ROOT, "### Cache GET/PUT %d/%d over %,d keys: wrk -t%d -c%d with `cache-mix.lua`, %d-byte values, %d s per measurement, single node on H2%n%n",
        100 - first.path("putPercent").asInt(), first.path("putPercent").asInt(), first.path("keys").asInt(), first.path("threads").asInt(),
        first.path("connections").asInt(), first.path("valueBytes").asInt(), first.path("seconds").asInt()));
    md.append(String.format(Locale.ROOT, "The same wrk script (uniform keys, every key stored first, so every GET is a hit) against: durable = namespace `%s` of a Troupe node "
        + "(bucket entities, events in the H2 journal); memory = namespace `%s` of the same node, declared `durable=off` (replicated in memory, no journal); "
        + "redis = %s, a minimal Node.js HTTP service (`bench/redis-peer`) serving the same paths. Node properties: `%s`. Node: `%s`.%n%n",
        first.path("durableNamespace").asText(), first.path("memoryNamespace").asText(), first.path("redisPeer").asText(),
        first.path("nodeProperties"), first.path("node").asText()));
    for (String name : List.of("durable", "memory", "redis")) {
      md.append(ReportCommand.warmup(name + " warm-up (req/s per 5 s wrk run; JIT CPU s per run)", first.path(name + "Warmup")));
    }
    md.append('\n');
    List<Col> cols = new ArrayList<>();
    for (String name : List.of("durable", "memory", "redis")) {
      cols.add(new Col(name + " req/s", r -> num(r, name, "rps"), "%,.0f"));
    }
    cols.add(new Col("durable/redis", r -> num(r, "ratioDurable"), "%.2f"));
    cols.add(new Col("memory/redis", r -> num(r, "ratioMemory"), "%.2f"));
    for (String name : List.of("durable", "memory", "redis")) {
      cols.add(new Col(name + " p50 ms", r -> num(r, name, "p50Ms"), "%.2f"));
      cols.add(new Col(name + " p99 ms", r -> num(r, name, "p99Ms"), "%.2f"));
    }
    for (String name : List.of("durable", "memory", "redis")) {
      cols.add(new Col(name + " CPU us/req", r -> num(r, name, "serverCpuMicrosPerRequest"), "%.0f"));
    }
    cols.add(new Col("non-2xx", r -> num(r, "durable", "non2xx") + num(r, "memory", "non2xx") + num(r, "redis", "non2xx"), "%.0f"));
    cols.add(new Col("Troupe RSS MB", r -> num(r, "durable", "rssMb"), "%.0f"));
    cols.add(new Col("Node.js + Redis RSS MB", r -> num(r, "redis", "rssMb"), "%.0f"));
    cols.add(new Col("JIT s in window, durable", r -> num(r, "durable", "jitSeconds"), "%.2f"));
    cols.add(new Col("JIT s in window, memory", r -> num(r, "memory", "jitSeconds"), "%.2f"));
    ReportCommand.table(md, runs, cols);
    md.append("Server CPU per request: the Troupe node's; for redis, Node.js and Redis together. Both serve from one core; wrk runs on another.");
    JsonNode last = runs.get(runs.size() - 1);
    if (last.has("journalRows")) {
      md.append(String.format(Locale.ROOT, " After the run, namespace entries %s (durable) and %s (memory) of %,d keys; journal rows per namespace %s.",
          last.path("durableStats").path("entries").asText("?"), last.path("memoryStats").path("entries").asText("?"), last.path("keys").asInt(),
          last.path("journalRows")));
    }
    md.append("\n\n");
  }

  private List<JsonNode> puts(String journal) {
    return rows.stream().filter(r -> is(r, "bench", "cache-put") && is(r, "journal", journal)).toList();
  }

  private List<JsonNode> mix() {
    return rows.stream().filter(r -> is(r, "bench", "cache-mix")).toList();
  }
}
