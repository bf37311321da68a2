package dev.troupe.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Warms a server JVM up until its JIT compiler has settled. On one core the compiler competes with
 * the server for the CPU: a Pekko node under load kept compiling (and getting faster) for minutes
 * here, so a fixed short warm-up would measure the compiler, not the server. Runs chunks of load
 * until the JVM's compiler threads used less than {@link #SETTLED_FRACTION} of a chunk's time in
 * CPU during the last chunk (after at least {@code minChunks}), or {@code maxChunks} ran. Every
 * server, Troupe or baseline, is warmed up the same way.
 */
final class Warmup {

  /** JIT CPU time per chunk, as a fraction of the chunk, below which the JIT counts as settled. */
  static final double SETTLED_FRACTION = 0.05;

  /** One chunk of load; returns its throughput. */
  @FunctionalInterface
  interface Chunk {
    double run() throws Exception;
  }

  /** CPU seconds the JVM's JIT compiler threads have used so far. */
  @FunctionalInterface
  interface JitClock {
    double seconds() throws Exception;
  }

  private Warmup() {}

  /**
   * Like {@link #untilJitSettles(String, Chunk, double, JitClock, int, int)}, with the server
   * processes {@code pids} allowed on {@code warmupCpus} meanwhile and pinned back to {@code
   * serverCpus} afterwards: the JIT compiles the same code on more cores, only sooner. The
   * JVMs keep the thread pools and GC they chose at start-up on the server cpus.
   */
  static Map<String, Object> untilJitSettles(
      String name, Chunk chunk, double chunkSeconds, JitClock jit, int minChunks, int maxChunks,
      String warmupCpus, String serverCpus, long... pids) throws Exception {
    for (long pid : pids) {
      ServerProcess.pin(pid, warmupCpus);
    }
    try {
      return untilJitSettles(name, chunk, chunkSeconds, jit, minChunks, maxChunks);
    } finally {
      for (long pid : pids) {
        ServerProcess.pin(pid, serverCpus);
      }
    }
  }

  /**
   * Returns {@code {"throughput": [...], "jitSeconds": [...], "settled": bool}}: every chunk's
   * throughput and JIT CPU seconds.
   */
  static Map<String, Object> untilJitSettles(
      String name, Chunk chunk, double chunkSeconds, JitClock jit, int minChunks, int maxChunks) throws Exception {
    List<Double> throughput = new ArrayList<>();
    List<Double> compile = new ArrayList<>();
    boolean settled = false;
    double before = jit.seconds();
    for (int i = 0; i < maxChunks && !settled; i++) {
      double value = chunk.run();
      double now = jit.seconds();
      throughput.add(Math.round(value * 10) / 10.0);
      compile.add(Math.round((now - before) * 100) / 100.0);
      settled = i + 1 >= minChunks && now - before < SETTLED_FRACTION * chunkSeconds;
      before = now;
    }
    System.out.printf("  %s warm-up (throughput, JIT CPU s per chunk): %s %s%s%n", name, throughput, compile, settled ? "" : " NOT SETTLED");
    return Map.of("throughput", throughput, "jitSeconds", compile, "settled", settled);
  }

  /** This JVM's JIT CPU seconds (for the in-process baseline). */
  static double ownJitSeconds() {
    return ServerProcess.jitCpuSecondsOf(ProcessHandle.current().pid());
  }
}
