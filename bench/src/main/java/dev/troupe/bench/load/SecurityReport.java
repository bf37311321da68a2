package dev.troupe.bench.load;

import static dev.troupe.bench.load.ReportCommand.is;
import static dev.troupe.bench.load.ReportCommand.median;
import static dev.troupe.bench.load.ReportCommand.num;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bench.load.ReportCommand.Col;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The {@code security} results (protections on vs off) of a results file, as Markdown. */
final class SecurityReport {

  static final double TARGET = 0.85;

  private final List<JsonNode> runs;

  SecurityReport(List<JsonNode> rows) {
    this.runs = rows.stream().filter(r -> is(r, "bench", "security")).toList();
  }

  void summaryRows(StringBuilder md) {
    for (String path : paths()) {
      List<JsonNode> rows = of(path);
      double ratio = median(rows, r -> num(r, "ratio"));
      md.append(String.format(Locale.ROOT, "| security GET %s, all protections on (%d runs) | %,.0f req/s | %,.0f req/s (protections off) | %.2f | >= %.2f | %s |%n",
          path, rows.size(), median(rows, r -> num(r, "on", "rps")), median(rows, r -> num(r, "off", "rps")), ratio, TARGET, ratio >= TARGET ? "yes" : "**no**"));
    }
  }

  void section(StringBuilder md) {
    if (runs.isEmpty()) {
      return;
    }
    JsonNode first = runs.get(0);
    md.append(String.format(Locale.ROOT, "### Security, protections on vs off: wrk -t%d -c%d, %d s per measurement, headers `Authorization: Bearer <token>` and `Origin: %s` on every request%n%n",
        first.get("threads").asInt(), first.get("connections").asInt(), first.get("seconds").asInt(), first.path("origin").asText()));
    md.append(String.format(Locale.ROOT, "On node: `%s` (the origin allowlisted, rate limits high enough never to refuse this load, so every request still takes its buckets). Off node: `%s`. Node: `%s`.%n%n",
        first.path("onProperties"), first.path("offProperties"), first.path("node").asText()));
    for (String path : paths()) {
      md.append(String.format(Locale.ROOT, "GET %s:%n%n", path));
      List<Col> cols = new ArrayList<>();
      for (String name : List.of("on", "off")) {
        cols.add(new Col(name + " req/s", r -> num(r, name, "rps"), "%,.0f"));
      }
      cols.add(new Col("on/off", r -> num(r, "ratio"), "%.2f"));
      for (String name : List.of("on", "off")) {
        cols.add(new Col(name + " p99 ms", r -> num(r, name, "p99Ms"), "%.2f"));
        cols.add(new Col(name + " CPU us/req", r -> num(r, name, "serverCpuMicrosPerRequest"), "%.0f"));
      }
      cols.add(new Col("non-2xx", r -> num(r, "on", "non2xx") + num(r, "off", "non2xx"), "%.0f"));
      ReportCommand.table(md, of(path), cols);
    }
  }

  private Set<String> paths() {
    Set<String> paths = new LinkedHashSet<>();
    runs.forEach(r -> paths.add(r.path("path").asText()));
    return paths;
  }

  private List<JsonNode> of(String path) {
    return runs.stream().filter(r -> is(r, "path", path)).toList();
  }
}
