package dev.troupe.bench.load;

import static dev.troupe.bench.load.ReportCommand.is;
import static dev.troupe.bench.load.ReportCommand.median;
import static dev.troupe.bench.load.ReportCommand.num;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bench.load.ReportCommand.Col;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The {@code rooms} and {@code rooms-memory} results of a results file, as Markdown. */
final class RoomsReport {

  private final List<JsonNode> rows;

  RoomsReport(List<JsonNode> rows) {
    this.rows = rows;
  }

  /** Rows of the summary table. */
  void summaryRows(StringBuilder md) {
    for (String scenario : List.of("fanout", "broadcast")) {
      List<JsonNode> runs = rooms(scenario);
      if (runs.isEmpty()) {
        continue;
      }
      String shape = shape(runs.get(0));
      double sio = median(runs, r -> num(r, "socketio", "signal", "deliveredPerSec"));
      String sioText = String.format(Locale.ROOT, "%,.0f delivered/s (Socket.IO broadcast, nothing stored)", sio);
      double ratio = median(runs, r -> num(r, "ratioSignal"));
      md.append(String.format(Locale.ROOT, "| rooms %s, signals (%d runs) | %,.0f delivered/s | %s | %.2f | >= %.1f | %s |%n",
          shape, runs.size(), median(runs, r -> num(r, "troupe", "signal", "deliveredPerSec")), sioText, ratio, RoomsCommand.TARGET,
          ratio >= RoomsCommand.TARGET ? "yes" : "**no**"));
      if (runs.stream().anyMatch(r -> r.path("troupe").has("post"))) {
        md.append(String.format(Locale.ROOT, "| rooms %s, persisted posts, H2 journal (%d runs) | %,.0f delivered/s | %s | %.2f | none (reported) | |%n",
            shape, runs.size(), median(runs, r -> num(r, "troupe", "post", "deliveredPerSec")), sioText, median(runs, r -> num(r, "ratioPost"))));
      }
    }
    List<JsonNode> memory = memory();
    if (!memory.isEmpty()) {
      double heap = median(memory, r -> num(r, "troupe", "heapKbPerConnection"));
      md.append(String.format(Locale.ROOT, "| rooms, %,d idle WebSockets each joined to a room (%d runs) | %.1f KB live heap, %.1f KB RSS per connection | %.1f KB RSS, %.1f KB V8 heap per connection (Socket.IO) | | live heap <= %.0f KB | %s |%n",
          memory.get(0).path("connections").asInt(), memory.size(), heap, median(memory, r -> num(r, "troupe", "rssKbPerConnection")),
          median(memory, r -> num(r, "socketio", "rssKbPerConnection")), median(memory, r -> num(r, "socketio", "heapKbPerConnection")),
          RoomsMemoryCommand.TARGET_KB, Double.isNaN(heap) ? "?" : heap <= RoomsMemoryCommand.TARGET_KB ? "yes" : "**no**"));
    }
  }

  /** The detailed sections. */
  void section(StringBuilder md) {
    for (String scenario : List.of("fanout", "broadcast")) {
      roomsSection(md, scenario);
    }
    memorySection(md);
  }

  private static String shape(JsonNode first) {
    return String.format(Locale.ROOT, "%d room%s x %,d connections, p99 <= %,.0f ms", first.path("rooms").asInt(),
        first.path("rooms").asInt() == 1 ? "" : "s", first.path("perRoom").asInt(), first.path("p99LimitMs").asDouble());
  }

  private void roomsSection(StringBuilder md, String scenario) {
    List<JsonNode> runs = rooms(scenario);
    if (runs.isEmpty()) {
      return;
    }
    JsonNode first = runs.get(0);
    md.append(String.format(Locale.ROOT, "### Rooms %s: %s, rising rate; %d-byte bodies, %.0f s settle + %.0f s window per step, x%.2f per step%n%n",
        scenario, shape(first), first.path("bodyBytes").asInt(), first.path("settleSeconds").asDouble(), first.path("seconds").asDouble(),
        first.path("factor").asDouble()));
    md.append(String.format(Locale.ROOT, "Troupe node: `%s` (%s GC, open files %s). Socket.IO: %s (open files %s). Connections joined in %.1f s (Troupe) and %.1f s (Socket.IO).%n%n",
        first.path("node").asText("?"), first.path("nodeGc").asText("?"), first.path("nodeOpenFiles").asText("?"), first.path("socketioPeer").asText("?"),
        first.path("socketioOpenFiles").asText("?"), first.path("troupeConnectSeconds").asDouble(Double.NaN),
        first.path("socketioConnectSeconds").asDouble(Double.NaN)));
    md.append(ReportCommand.warmup("Troupe warm-up (delivered/s per 3 s chunk; JIT CPU s per chunk)", first.path("troupeWarmup")));
    md.append(ReportCommand.warmup("Socket.IO warm-up", first.path("socketioWarmup")));
    md.append('\n');
    List<Col> cols = new ArrayList<>();
    for (String[] s : List.of(new String[] {"troupe", "signal", "Troupe signals"}, new String[] {"troupe", "post", "Troupe posts"},
        new String[] {"socketio", "signal", "Socket.IO"})) {
      if (runs.stream().noneMatch(r -> r.path(s[0]).has(s[1]))) {
        continue;
      }
      cols.add(new Col(s[2] + " delivered/s", r -> num(r, s[0], s[1], "deliveredPerSec"), "%,.0f"));
      cols.add(new Col("sent msg/s", r -> num(r, s[0], s[1], "best", "sentPerSec"), "%,.0f"));
      cols.add(new Col("p99 ms", r -> num(r, s[0], s[1], "best", "p99Ms"), "%.1f"));
      cols.add(new Col("server CPU us/delivery", r -> 1e6 * num(r, s[0], s[1], "best", "serverCpuSeconds")
          / (num(r, s[0], s[1], "best", "deliveredPerSec") * num(r, s[0], s[1], "best", "seconds")), "%.1f"));
    }
    cols.add(new Col("ratio signals", r -> num(r, "ratioSignal"), "%.2f"));
    cols.add(new Col("ratio posts", r -> num(r, "ratioPost"), "%.2f"));
    cols.add(new Col("load generator CPU, share of window (max)", r -> maxClientShare(r), "%.2f"));
    cols.add(new Col("other CPU s (max)", r -> maxOther(r), "%.1f"));
    ReportCommand.table(md, runs, cols);
    md.append("Figures of the last passing step of each ramp; the step after it failed with: ");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      JsonNode r = runs.get(i);
      List<String> parts = new ArrayList<>();
      for (String[] s : List.of(new String[] {"troupe", "signal"}, new String[] {"troupe", "post"}, new String[] {"socketio", "signal"})) {
        JsonNode ramp = r.path(s[0]).path(s[1]);
        if (!ramp.isMissingNode()) {
          parts.add(String.format(Locale.ROOT, "%s %s at %s msg/s: %s", s[0], s[1], ramp.path("firstFailedRate").asText("?"), failedVerdict(ramp)));
        }
      }
      failures.add("run " + (i + 1) + ": " + String.join("; ", parts));
    }
    md.append(String.join(". ", failures)).append(".\n\n");
    md.append("Ramp of run 1 (msg/s sent: p99 ms):\n\n");
    for (String[] s : List.of(new String[] {"troupe", "signal", "Troupe signals"}, new String[] {"troupe", "post", "Troupe posts"},
        new String[] {"socketio", "signal", "Socket.IO"})) {
      JsonNode steps = first.path(s[0]).path(s[1]).path("steps");
      if (steps.isMissingNode()) {
        continue;
      }
      List<String> points = new ArrayList<>();
      steps.forEach(step -> points.add(String.format(Locale.ROOT, "%.0f: %.1f%s", step.path("rate").asDouble(), step.path("p99Ms").asDouble(Double.NaN),
          step.path("verdict").asText().equals("ok") ? "" : " (" + step.path("verdict").asText() + ")")));
      md.append("- ").append(s[2]).append(": ").append(String.join(", ", points)).append('\n');
    }
    md.append('\n');
  }

  private static String failedVerdict(JsonNode ramp) {
    for (JsonNode step : ramp.path("steps")) {
      if (Math.abs(step.path("rate").asDouble() - ramp.path("firstFailedRate").asDouble(Double.NaN)) < 0.01) {
        return step.path("verdict").asText();
      }
    }
    return ramp.path("firstFailedRate").isNull() ? "none failed (max steps)" : "?";
  }

  private static double maxClientShare(JsonNode r) {
    double max = Double.NaN;
    for (String[] s : List.of(new String[] {"troupe", "signal"}, new String[] {"troupe", "post"}, new String[] {"socketio", "signal"})) {
      double v = num(r, s[0], s[1], "best", "clientCpuSeconds") / num(r, s[0], s[1], "best", "seconds");
      if (!Double.isNaN(v)) {
        max = Double.isNaN(max) ? v : Math.max(max, v);
      }
    }
    return max;
  }

  private static double maxOther(JsonNode r) {
    double max = Double.NaN;
    for (String[] s : List.of(new String[] {"troupe", "signal"}, new String[] {"troupe", "post"}, new String[] {"socketio", "signal"})) {
      double v = num(r, s[0], s[1], "best", "otherCpuSeconds");
      if (!Double.isNaN(v)) {
        max = Double.isNaN(max) ? v : Math.max(max, v);
      }
    }
    return max;
  }

  private void memorySection(StringBuilder md) {
    List<JsonNode> runs = memory();
    if (runs.isEmpty()) {
      return;
    }
    JsonNode first = runs.get(0);
    md.append(String.format(Locale.ROOT, "### Rooms memory: %,d idle WebSockets, each joined to one of %d rooms, held by %d client processes%n%n",
        first.path("connections").asInt(), first.path("rooms").asInt(), first.path("processes").asInt()));
    md.append(String.format(Locale.ROOT, "Troupe node: `%s` (%s GC, open files %s); Socket.IO: %s. Per connection: (reading with the connections - reading before them) / connections; "
        + "Troupe's live heap after `jcmd GC.run` (`GC.heap_info` used; the `GC.class_histogram` total beside it), Socket.IO's V8 heap after `global.gc()`; RSS from `/proc/<pid>/status`.%n%n",
        first.path("node").asText("?"), first.path("nodeGc").asText("?"), first.path("nodeOpenFiles").asText("?"), first.path("socketioPeer").asText("?")));
    ReportCommand.table(md, runs, List.of(
        new Col("Troupe live heap KB/conn", r -> num(r, "troupe", "heapKbPerConnection"), "%.1f"),
        new Col("Troupe class histogram KB/conn", r -> num(r, "troupe", "histogramKbPerConnection"), "%.1f"),
        new Col("Troupe RSS KB/conn", r -> num(r, "troupe", "rssKbPerConnection"), "%.1f"),
        new Col("Troupe heap before MB", r -> num(r, "troupe", "before", "heapUsedMb"), "%.0f"),
        new Col("Troupe heap with conns MB", r -> num(r, "troupe", "after", "heapUsedMb"), "%.0f"),
        new Col("Socket.IO V8 heap KB/conn", r -> num(r, "socketio", "heapKbPerConnection"), "%.1f"),
        new Col("Socket.IO external KB/conn", r -> num(r, "socketio", "externalKbPerConnection"), "%.1f"),
        new Col("Socket.IO RSS KB/conn", r -> num(r, "socketio", "rssKbPerConnection"), "%.1f"),
        new Col("Troupe connect s", r -> num(r, "troupe", "connectSeconds"), "%.1f"),
        new Col("Socket.IO connect s", r -> num(r, "socketio", "connectSeconds"), "%.1f")));
  }

  private List<JsonNode> rooms(String scenario) {
    return rows.stream().filter(r -> is(r, "bench", "rooms") && is(r, "scenario", scenario)).toList();
  }

  private List<JsonNode> memory() {
    return rows.stream().filter(r -> is(r, "bench", "rooms-memory")).toList();
  }
}
