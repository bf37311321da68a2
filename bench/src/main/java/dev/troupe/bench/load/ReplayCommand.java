package dev.troupe.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.bench.node.FixedPrincipalAuthenticator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Recovery of one entity with a long history: a node writes {@code --events} events to one entity
 * (bulk atomic writes of {@code --batch} events through {@code POST /bench/{id}/bulk}), stops; a
 * freshly started node then recovers the entity on {@code GET /bench/{id}}. Snapshots on: the
 * type's {@code snapshot-every} is Troupe's default (100); off: larger than the history, so no
 * snapshot exists and every event is replayed. Reports recovery time and events/s, and the node's
 * memory before and after (RSS, peak RSS, heap used after a full GC).
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Recovery time of one entity with a long history, on a fresh node.")
final class ReplayCommand implements Callable<Integer> {

  /** Troupe's default (troupe.entities.defaults.snapshot-every). */
  static final int SNAPSHOT_EVERY_ON = 100;
  /** Larger than any history the bench writes: no snapshot is ever taken. */
  static final int SNAPSHOT_EVERY_OFF = 1_000_000_000;

  @Mixin BenchEnv env = new BenchEnv();

  @Option(names = "--events", defaultValue = "100000", description = "events in the entity's history")
  int events;

  @Option(names = "--snapshots", required = true, description = "on or off")
  String snapshots;

  @Option(names = "--batch", defaultValue = "1000", description = "events per bulk atomic write while loading")
  int batch;

  @Option(names = "--journal", defaultValue = "h2", description = "h2 or cassandra")
  String journal;

  @Option(names = "--cassandra", defaultValue = "127.0.0.1:9042", description = "Cassandra contact point (journal cassandra)")
  String cassandra;

  @Option(names = "--payload-chars", defaultValue = "100", description = "payload characters per event")
  int payloadChars;

  @Option(names = "--histogram", description = "diagnosis: print the node's top heap classes after recovery (jcmd GC.class_histogram)")
  boolean histogram;

  @Option(names = "--recoveries", defaultValue = "1", description = "fresh-node recoveries of the same history")
  int recoveries;

  @Override
  public Integer call() throws Exception {
    boolean on = switch (snapshots) {
      case "on" -> true;
      case "off" -> false;
      default -> throw new IllegalArgumentException("--snapshots must be on or off");
    };
    int snapshotEvery = on ? SNAPSHOT_EVERY_ON : SNAPSHOT_EVERY_OFF;
    List<String> props =
        List.of(
            "-Dtroupe.entities.types.bench.snapshot-every=" + snapshotEvery,
            // Replay measures the journal, not authentication (the auth bench measures that).
            "-Dtroupe.http.authenticator=" + FixedPrincipalAuthenticator.class.getName());
    String id = "replay-" + Long.toString(System.currentTimeMillis(), 36);
    String body = "{\"payload\":\"" + PersistCommand.payload(payloadChars) + "\"}";
    Path dir = env.freshDir("replay-" + journal + "-" + snapshots);
    try {
      // 1. Write the history on one node.
      double writeSeconds;
      try (TroupeNodeProcess node = TroupeNodeProcess.start(env, dir, props, journal, cassandra, true)) {
        System.out.printf("replay: writing %d events to %s in atomic writes of %d (snapshot-every %d)...%n", events, id, batch, snapshotEvery);
        long t0 = System.nanoTime();
        try (HttpConnection connection = new HttpConnection("127.0.0.1", node.httpPort)) {
          for (int written = 0; written < events; ) {
            int n = Math.min(batch, events - written);
            HttpConnection.Response r =
                connection.exchange(HttpConnection.request("POST", "127.0.0.1", node.httpPort, "/bench/" + id + "/bulk?count=" + n, body));
            if (r.status() != 200) {
              throw new IllegalStateException("bulk write failed: HTTP " + r.status() + " " + r.text());
            }
            written += n;
          }
        }
        writeSeconds = (System.nanoTime() - t0) / 1e9;
        long held = status(node, id).get("events").asLong();
        if (held != events) {
          throw new IllegalStateException("entity holds " + held + " events, expected " + events);
        }
        System.out.printf("  written in %.1f s (%.0f events/s)%n", writeSeconds, events / writeSeconds);
      }

      // 2. Recover it on freshly started nodes.
      for (int r = 0; r < recoveries; r++) {
        try (TroupeNodeProcess node = TroupeNodeProcess.start(env, dir, props, journal, cassandra, true)) {
          Map<String, Object> result = new LinkedHashMap<>();
          result.put("bench", "replay");
          result.put("journal", journal);
          result.put("snapshots", snapshots);
          result.put("snapshotEvery", snapshotEvery);
          result.put("events", events);
          result.put("batch", batch);
          result.put("writeSeconds", PersistCommand.round(writeSeconds));
          result.put("serverCpus", env.serverCpus);
          result.put("nodeGc", node.process.gcName());
          result.put("heapAfterGcBeforeMb", PersistCommand.round(node.process.heapUsedAfterGcMb()));
          result.put("rssBeforeMb", PersistCommand.round(node.process.procStatusMb("VmRSS")));
          result.put("peakRssBeforeMb", PersistCommand.round(node.process.procStatusMb("VmHWM")));
          long t0 = System.nanoTime();
          // A long recovery outlasts the edge's ask timeout (503 + Retry-After): ask again until
          // the entity answers; the entity's own recovery time is the figure that counts.
          int unavailable = 0;
          JsonNode status = null;
          while (status == null) {
            HttpConnection.Response response = HttpConnection.once("127.0.0.1", node.httpPort, "GET", "/bench/" + id, null);
            if (response.status() == 200) {
              status = BenchEnv.JSON.readTree(response.text());
            } else if (response.status() == 503 && unavailable++ < 60) {
              Thread.sleep(100);
            } else {
              throw new IllegalStateException("GET /bench/" + id + ": HTTP " + response.status() + " " + response.text());
            }
          }
          double getMs = (System.nanoTime() - t0) / 1e6;
          result.put("getUnavailable", unavailable);
          long held = status.get("events").asLong();
          double recoveryMs = status.get("recoveryMicros").asLong() / 1000.0;
          if (held != events) {
            throw new IllegalStateException("recovered " + held + " events, expected " + events);
          }
          result.put("recoveryMs", PersistCommand.round(recoveryMs));
          result.put("getMs", PersistCommand.round(getMs));
          result.put("eventsPerSec", Math.round(events / (recoveryMs / 1000.0)));
          result.put("rssAfterMb", PersistCommand.round(node.process.procStatusMb("VmRSS")));
          result.put("peakRssAfterMb", PersistCommand.round(node.process.procStatusMb("VmHWM")));
          result.put("heapAfterGcAfterMb", PersistCommand.round(node.process.heapUsedAfterGcMb()));
          if (histogram) {
            System.out.println(node.process.jcmd("GC.class_histogram").lines().limit(25).reduce("", (a, b) -> a + b + "\n"));
          }
          System.out.printf(
              "replay %s snapshots %s: recovered %d events in %.0f ms (%s events/s; GET %.0f ms), heap after GC %s -> %s MB, RSS %s -> %s MB (peak %s MB)%n",
              journal, snapshots, held, recoveryMs, result.get("eventsPerSec"), getMs,
              result.get("heapAfterGcBeforeMb"), result.get("heapAfterGcAfterMb"),
              result.get("rssBeforeMb"), result.get("rssAfterMb"), result.get("peakRssAfterMb"));
          env.record(result);
        }
      }
    } finally {
      env.removeData(dir);
    }
    return 0;
  }

  private static JsonNode status(TroupeNodeProcess node, String id) throws Exception {
    HttpConnection.Response r = HttpConnection.once("127.0.0.1", node.httpPort, "GET", "/bench/" + id, null);
    if (r.status() != 200) {
      throw new IllegalStateException("GET /bench/" + id + ": HTTP " + r.status() + " " + r.text());
    }
    return BenchEnv.JSON.readTree(r.text());
  }
}
