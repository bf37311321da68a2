package dev.troupe.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server the bench starts as its own process (a Troupe node, the bare Pekko HTTP server, an H2
 * TCP server), pinned to the server cores with {@code taskset}. The bench only talks to it over
 * sockets; this class only starts it, reads its memory from {@code /proc} and {@code jcmd}, and
 * stops it (SIGTERM, then a forced kill). A JVM shutdown hook stops whatever is still running.
 */
final class ServerProcess implements AutoCloseable {

  private static final Set<ServerProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ServerProcess::close), "stop-servers"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private ServerProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code command} pinned to {@code cpus} ({@code taskset -c}; "none" does not pin),
   * output to {@code log}. TROUPE_* variables of the bench's own environment are not passed on:
   * the bench sets every flag itself.
   */
  static ServerProcess start(String name, String cpus, List<String> command, Path log) throws IOException {
    List<String> full = new ArrayList<>();
    if (cpus != null && !cpus.equals("none")) {
      full.add("taskset");
      full.add("-c");
      full.add(cpus);
    }
    full.addAll(command);
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("TROUPE_") && !k.equals("TROUPE_HOME"));
    ServerProcess server = new ServerProcess(name, builder.start(), log);
    RUNNING.add(server);
    return server;
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Fails with the end of the log if the process has died. */
  void requireAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log + ":\n" + tail(30));
    }
  }

  /** Waits until the log contains {@code text}. */
  void awaitLog(String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(name + " did not log '" + text + "' within " + timeout + "; log " + log);
  }

  /** Waits until {@code GET path} answers 200. */
  void awaitHttp(int port, String path, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      try {
        if (HttpConnection.once("127.0.0.1", port, "GET", path, null).status() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " did not answer 200 on " + path + " within " + timeout + "; log " + log);
  }

  /**
   * Freezes the process (SIGSTOP) so that it takes no CPU while another server is measured on the
   * same cores; {@link #resume()} continues it (SIGCONT). Neither ends it.
   */
  void pause() throws Exception {
    signal("-STOP");
  }

  void resume() throws Exception {
    signal("-CONT");
  }

  private void signal(String signal) throws Exception {
    Process p = new ProcessBuilder("kill", signal, Long.toString(pid())).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("kill " + signal + " " + pid() + " failed");
    }
  }

  /** Re-pins every thread of the process ({@code taskset -a -p -c}); "none" does nothing. */
  void pin(String cpus) throws Exception {
    pin(pid(), cpus);
  }

  static void pin(long pid, String cpus) throws Exception {
    if (cpus == null || cpus.equals("none")) {
      return;
    }
    for (int attempt = 1; ; attempt++) {
      Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
      // A thread that ended while taskset walked the threads ("No such process"): walk again.
      boolean threadGone = out.contains("No such process") && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      if (!threadGone || attempt == 5) {
        throw new IllegalStateException("taskset -a -p -c " + cpus + " " + pid + " failed: " + out);
      }
    }
  }

  /** A line of {@code /proc/<pid>/status} in MiB, e.g. VmRSS (resident) or VmHWM (peak resident). */
  double procStatusMb(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith(field + ":")) {
        String kb = line.substring(field.length() + 1).replace("kB", "").trim();
        return Long.parseLong(kb) / 1024.0;
      }
    }
    return -1;
  }

  /** Forces a full GC ({@code jcmd GC.run}) and returns the used heap after it in MiB. */
  double heapUsedAfterGcMb() throws Exception {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    // G1: " garbage-first heap   total 262144K, used 12345K"; Serial/Parallel: one line per
    // generation ("def new generation", "tenured generation", "PSYoungGen", "ParOldGen").
    Pattern used = Pattern.compile("used (\\d+)K");
    long kb = 0;
    for (String line : info.split("\n")) {
      String l = line.toLowerCase();
      if (l.contains("garbage-first heap") || l.contains("generation") || l.contains("psyounggen") || l.contains("paroldgen")) {
        Matcher m = used.matcher(line);
        if (m.find()) {
          kb += Long.parseLong(m.group(1));
        }
      }
    }
    return kb / 1024.0;
  }

  /** CPU seconds the JVM's JIT compiler threads have used so far. */
  double jitSeconds() {
    return jitCpuSecondsOf(pid());
  }

  /**
   * CPU seconds (user + system) used so far by the JIT compiler threads ({@code C1 CompilerThre},
   * {@code C2 CompilerThre}) of process {@code pid}, from {@code /proc/<pid>/task/<tid>/stat}.
   * CPU time, not the compile wall time {@code jstat} reports, which grows with CPU starvation.
   */
  static double jitCpuSecondsOf(long pid) {
    long ticks = 0;
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (var threads = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) threads::iterator) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            String stat = Files.readString(task.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          }
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return ticks / 100.0;
  }

  /** The garbage collector the JVM chose (it depends on how many CPUs the process may use). */
  String gcName() throws Exception {
    String flags = jcmd("VM.flags");
    for (String gc : List.of("UseSerialGC", "UseG1GC", "UseParallelGC", "UseZGC", "UseShenandoahGC")) {
      if (flags.contains("-XX:+" + gc)) {
        return gc.substring(3, gc.length() - 2);
      }
    }
    return "?";
  }

  String jcmd(String what) throws Exception {
    Process p = new ProcessBuilder("jcmd", Long.toString(pid()), what).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + what + " failed: " + out);
    }
    return out;
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM, up to 60 s to drain and exit, then a forced kill. */
  @Override
  public void close() {
    if (!RUNNING.remove(this)) {
      return;
    }
    try {
      // A paused process would not handle SIGTERM until continued.
      resume();
    } catch (Exception e) {
      // it has exited already
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** {@code count} distinct free ports on 127.0.0.1. */
  static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
