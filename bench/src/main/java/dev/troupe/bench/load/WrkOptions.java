package dev.troupe.bench.load;

import java.util.Map;
import picocli.CommandLine.Option;

/** The wrk settings the HTTP benchmarks share (a picocli mixin), and how results name them. */
final class WrkOptions {

  @Option(names = "--connections", defaultValue = "50", description = "wrk connections")
  int connections;

  @Option(names = "--threads", defaultValue = "1", description = "wrk threads")
  int threads;

  @Option(names = "--seconds", defaultValue = "10", description = "measured wrk run")
  int seconds;

  @Option(names = "--warmup", defaultValue = "150", description = "longest warm-up per server, seconds: 5 s wrk runs until its JIT has settled")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3", description = "measured rounds, each measuring every server (order alternates)")
  int rounds;

  /** Writes the settings and where load and servers ran into a result's common fields. */
  void describe(Map<String, Object> common, BenchEnv env) {
    common.put("connections", connections);
    common.put("threads", threads);
    common.put("seconds", seconds);
    common.put("warmupSeconds", warmup);
    common.put("serverCpus", env.serverCpus);
    common.put("clientCpus", env.clientCpus);
    common.put("warmupCpus", env.warmupCpus());
  }
}
