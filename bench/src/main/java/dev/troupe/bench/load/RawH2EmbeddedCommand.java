package dev.troupe.bench.load;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The in-process H2 baseline, run by {@code persist --journal h2} in a child JVM pinned to the
 * server cores: H2 embedded (as the node embeds it), no network in between. Prints {@code RAW
 * <json>}.
 */
@Command(name = "raw-h2-embedded", hidden = true)
final class RawH2EmbeddedCommand implements Callable<Integer> {

  @Option(names = "--dir", required = true) Path dir;
  @Option(names = "--concurrency", required = true) int concurrency;
  @Option(names = "--entities", required = true) int entities;
  @Option(names = "--seconds", required = true) int seconds;
  @Option(names = "--warmup", required = true) int warmup;
  @Option(names = "--rounds", required = true) int rounds;
  @Option(names = "--warmup-cpus", required = true) String warmupCpus;
  @Option(names = "--server-cpus", required = true) String serverCpus;
  @Option(names = "--bytes", required = true) int bytes;
  @Option(names = "--serializer-id", required = true) int serializerId;
  @Option(names = "--manifest", required = true) String manifest;

  @Override
  @SuppressWarnings("try") // the connection only keeps the database open
  public Integer call() throws Exception {
    String url = RawH2.fileUrl(dir);
    RawH2.createSchema(url);
    // One connection kept open for the whole run, so the database is not closed between chunks.
    try (var keepOpen = DriverManager.getConnection(url, "sa", "")) {
      RowShape row = new RowShape(bytes, serializerId, manifest);
      String run = Long.toString(System.currentTimeMillis(), 36);
      int[] chunk = {0};
      Warmup.untilJitSettles(
          "raw embedded",
          () -> {
            EntitySpread spread = new EntitySpread("w" + run + "-" + chunk[0]++, entities, concurrency);
            return ClosedLoop.run(concurrency, Duration.ZERO, Duration.ofSeconds(PersistCommand.WARMUP_CHUNK), index -> RawH2.operation(url, spread, index, row)).opsPerSec();
          },
          PersistCommand.WARMUP_CHUNK,
          Warmup::ownJitSeconds,
          4,
          Math.max(2, warmup / PersistCommand.WARMUP_CHUNK),
          warmupCpus,
          serverCpus,
          ProcessHandle.current().pid());
      for (int round = 1; round <= rounds; round++) {
        EntitySpread spread = new EntitySpread("e" + run + "-" + round, entities, concurrency);
        LoadResult result =
            ClosedLoop.run(
                concurrency,
                Duration.ofSeconds(2),
                Duration.ofSeconds(seconds),
                index -> RawH2.operation(url, spread, index, row),
                CpuMeter.of(ProcessHandle.current().pid()));
        System.out.println("RAW " + BenchEnv.JSON.writeValueAsString(result));
      }
      System.out.println("DONE");
    }
    return 0;
  }
}
