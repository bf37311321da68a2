package dev.troupe.bench.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The bench's load generator. Each command starts the servers it needs as separate processes
 * pinned to the server cores, measures Troupe and its baseline side by side in one run, prints a
 * result line and appends it to the results file; {@code report} turns a results file into
 * Markdown with medians. {@code bench/run.sh} runs them all; see docs/benchmarks.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Troupe benchmarks: persist, replay, http, auth, cache-put, cache-mix, rooms, rooms-memory; report.",
    subcommands = {
      PersistCommand.class, ReplayCommand.class, HttpCommand.class, AuthCommand.class, SecurityCommand.class, CachePutCommand.class, CacheMixCommand.class,
      RoomsCommand.class, RoomsMemoryCommand.class, RoomsHoldCommand.class, ReportCommand.class, RawH2EmbeddedCommand.class
    })
public final class BenchMain implements Runnable {

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      // The platform's logback.xml is on the classpath too; the bench logs warnings only.
      System.setProperty("logback.configurationFile", "bench-logback.xml");
    }
    int exit = new CommandLine(new BenchMain()).execute(args);
    System.exit(exit);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
