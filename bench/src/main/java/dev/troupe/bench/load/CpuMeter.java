package dev.troupe.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * CPU time (user + system) used by a set of processes, from {@code /proc/<pid>/stat}. Throughput
 * on a shared machine depends on what else runs; CPU time per operation much less so, so the bench
 * reports both.
 */
final class CpuMeter {

  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on Linux x86-64. */
  private static final double TICKS_PER_SECOND = 100.0;

  private final List<Long> pids;
  private long startTicks = -1;
  private long endTicks = -1;
  private long startMachine;
  private long endMachine;
  private long startSelf;
  private long endSelf;
  private final java.util.Map<Long, Long> startByPid = new java.util.HashMap<>();
  private final java.util.Map<Long, Long> endByPid = new java.util.HashMap<>();

  CpuMeter(List<Long> pids) {
    this.pids = List.copyOf(pids);
  }

  static CpuMeter of(long... pids) {
    return new CpuMeter(Arrays.stream(pids).boxed().toList());
  }

  void start() {
    pids.forEach(pid -> startByPid.put(pid, ticksOf(pid)));
    startTicks = ticks();
    startMachine = machineTicks();
    startSelf = ticksOf(ProcessHandle.current().pid());
  }

  void stop() {
    pids.forEach(pid -> endByPid.put(pid, ticksOf(pid)));
    endTicks = ticks();
    endMachine = machineTicks();
    endSelf = ticksOf(ProcessHandle.current().pid());
  }

  /**
   * CPU seconds the rest of the machine (neither the measured servers nor this load generator)
   * used in the window: how much other work competed for the cores. External tools such as wrk
   * count as "other" too.
   */
  double otherSeconds() {
    if (startTicks < 0 || endTicks < 0) {
      return Double.NaN;
    }
    long machine = endMachine - startMachine;
    boolean selfMeasured = pids.contains(ProcessHandle.current().pid());
    long ours = (endTicks - startTicks) + (selfMeasured ? 0 : endSelf - startSelf);
    return Math.max(0, machine - ours) / TICKS_PER_SECOND;
  }

  /** CPU seconds one of the measured processes used in the window. */
  double secondsOf(long pid) {
    Long start = startByPid.get(pid);
    Long end = endByPid.get(pid);
    return start == null || end == null ? Double.NaN : (end - start) / TICKS_PER_SECOND;
  }

  /** CPU seconds this process (the load generator) used in the window. */
  double selfSeconds() {
    return startTicks < 0 || endTicks < 0 ? Double.NaN : (endSelf - startSelf) / TICKS_PER_SECOND;
  }

  /** Busy ticks of all CPUs from the first line of {@code /proc/stat}. */
  private static long machineTicks() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = cpu.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...: user, nice and system only, as
      // processes are charged; interrupt time (loopback networking) is nobody's in particular.
      return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** CPU seconds between {@link #start()} and {@link #stop()}. */
  double seconds() {
    return startTicks < 0 || endTicks < 0 ? Double.NaN : (endTicks - startTicks) / TICKS_PER_SECOND;
  }

  private long ticks() {
    long total = 0;
    for (long pid : pids) {
      total += ticksOf(pid);
    }
    return total;
  }

  static long ticksOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may contain spaces: fields are counted after its ")".
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields[0] is field 3 (state); utime is field 14, stime field 15.
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
