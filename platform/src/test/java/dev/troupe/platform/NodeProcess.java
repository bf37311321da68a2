package dev.troupe.platform;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Troupe node as a real JVM process: {@code java -cp <test classpath> dev.troupe.platform.Main
 * start ...}, the way {@code ./troupe start} runs it, with the test ledger extension on the
 * classpath (the project's own classpath entries are copied once per test JVM, see {@link
 * #nodeClasspath()}). JVM system properties in {@link Spec#jvmOptions()} override every config
 * layer of the node.
 *
 * <p>Its stdout and stderr go to one log file under {@code target/node-logs}. Every process
 * started here is also killed by a JVM shutdown hook, so an aborted test run leaves no node
 * behind.
 */
public final class NodeProcess implements AutoCloseable {

  /** The sys-admin every node process creates on its first start (through the environment). */
  public static final String ADMIN_USER = "admin";

  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  /** The test ledger, plugged in like an application's extension. */
  public static final String LEDGER_EXTENSION = "dev.troupe.http.testkit.LedgerExtension";

  /** Exit status of a JVM that ran its shutdown hooks after SIGTERM (128 + 15). */
  public static final int SIGTERM_EXIT_CODE = 143;

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<Integer> HANDED_OUT_PORTS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(Process::destroyForcibly), "node-process-kill"));
  }

  /** The three ports a node listens on. */
  public record Ports(int http, int remote, int management) {
    /** Three ports free right now, never handed out before in this JVM. */
    public static Ports free() {
      return new Ports(freePort(), freePort(), freePort());
    }
  }

  /**
   * How to start a node: its name (also its log file's and {@code --node-name}), ports, the
   * extra {@code start} arguments (journal, join, data dir), JVM options and working folder.
   */
  public record Spec(
      String name, Ports ports, List<String> extraArgs, List<String> jvmOptions, Path workDir) {

    public Spec {
      extraArgs = List.copyOf(extraArgs);
      jvmOptions = List.copyOf(jvmOptions);
    }

    /** A node with the default test JVM options, working in {@code target/}. */
    public static Spec of(String name, List<String> extraArgs) {
      return new Spec(name, Ports.free(), extraArgs, defaultJvmOptions(), targetDir());
    }

    public Spec withPorts(Ports newPorts) {
      return new Spec(name, newPorts, extraArgs, jvmOptions, workDir);
    }

    public Spec withExtraArgs(List<String> newArgs) {
      return new Spec(name, ports, newArgs, jvmOptions, workDir);
    }

    /** The arguments after the main class. */
    public List<String> mainArgs() {
      List<String> args = new ArrayList<>();
      args.add("start");
      args.addAll(
          List.of(
              "--port", Integer.toString(ports.http()),
              "--remote-port", Integer.toString(ports.remote()),
              "--management-port", Integer.toString(ports.management()),
              "--node-name", name,
              "--extension", LEDGER_EXTENSION,
              "--no-metrics"));
      args.addAll(extraArgs);
      return args;
    }
  }

  /** What a node process that was expected to stop on its own did. */
  public record Result(int exitCode, String stdout, String stderr, Duration took) {}

  private final Spec spec;
  private final Process process;
  private final Path logFile;
  private final Instant startedAt;

  private NodeProcess(Spec spec, Process process, Path logFile, Instant startedAt) {
    this.spec = spec;
    this.process = process;
    this.logFile = logFile;
    this.startedAt = startedAt;
  }

  /** Starts a node; it is not ready yet (see {@link #awaitReady(Duration)}). */
  public static NodeProcess start(Spec spec) {
    Path logFile = logDir().resolve(spec.name() + "-" + System.currentTimeMillis() + ".log");
    ProcessBuilder builder =
        builder(spec.jvmOptions(), spec.mainArgs(), spec.workDir(), Map.of())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
    Instant startedAt = Instant.now();
    Process process = launch(builder);
    return new NodeProcess(spec, process, logFile, startedAt);
  }

  /**
   * Runs {@code Main} with the given arguments and environment until it exits on its own, for
   * commands that are expected to stop (refused configurations). Killed after {@code timeout}.
   */
  public static Result run(String name, List<String> mainArgs, Map<String, String> env, Path workDir, Duration timeout)
      throws InterruptedException {
    long stamp = System.currentTimeMillis();
    Path out = logDir().resolve(name + "-" + stamp + ".out");
    Path err = logDir().resolve(name + "-" + stamp + ".err");
    ProcessBuilder builder =
        builder(defaultJvmOptions(), mainArgs, workDir, env)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Instant started = Instant.now();
    Process process = launch(builder);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "troupe " + String.join(" ", mainArgs) + " did not exit within " + timeout + "; stdout:\n" + read(out));
      }
      return new Result(process.exitValue(), read(out), read(err), Duration.between(started, Instant.now()));
    } finally {
      process.destroyForcibly();
      LIVE.remove(process);
    }
  }

  /** JVM options for test nodes: a small heap and quick startup on a 2-core machine. */
  public static List<String> defaultJvmOptions() {
    return List.of(
        "-Xmx256m",
        "-Xss512k",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        // The node's own logging (INFO), not this module's quiet logback-test.xml that is first on
        // the test classpath.
        "-Dlogback.configurationFile=logback.xml",
        // JVM system properties win over every config layer: decide on a lost node quickly.
        "-Dpekko.cluster.split-brain-resolver.stable-after=3s");
  }

  /** The node's name. */
  public String name() {
    return spec.name();
  }

  public Spec spec() {
    return spec;
  }

  public Ports ports() {
    return spec.ports();
  }

  /** This node's cluster address as {@code /cluster} and entity locations show it. */
  public String address() {
    return "pekko://troupe@127.0.0.1:" + spec.ports().remote();
  }

  /** {@code host:port} of its remoting, what {@code --join} takes. */
  public String joinAddress() {
    return "127.0.0.1:" + spec.ports().remote();
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + spec.ports().http() + path);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** Waits until {@code GET /health/ready} answers 200; fails at once if the process dies. */
  public NodeProcess awaitReady(Duration timeout) {
    TestHttp http = TestHttp.shared();
    try {
      await("node " + name() + " ready")
          .atMost(timeout)
          .pollDelay(Duration.ofMillis(500))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "node " + name() + " exited with " + process.exitValue() + " before it was ready:\n" + logTail());
                }
                return http.get(uri("/health/ready"), Duration.ofSeconds(5)).status() == 200;
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("node " + name() + " not ready within " + timeout + ":\n" + logTail(), e);
    }
    System.out.printf(
        "node %s (pid %d, http %d, remote %d) ready after %d ms%n",
        name(), pid(), spec.ports().http(), spec.ports().remote(), Duration.between(startedAt, Instant.now()).toMillis());
    return this;
  }

  /** {@code kill -9}: SIGKILL, no shutdown hook runs. Returns when the process is gone. */
  public Instant kill9() {
    Instant at = Instant.now();
    process.destroyForcibly();
    waitGone(Duration.ofSeconds(10));
    return at;
  }

  /** {@code kill -TERM}: the node runs coordinated shutdown. Returns at once. */
  public Instant sigterm() {
    Instant at = Instant.now();
    process.destroy();
    return at;
  }

  /** Waits for the process to exit and returns its exit code; fails if it does not in time. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node " + name() + " did not exit within " + timeout + ":\n" + logTail());
    }
    LIVE.remove(process);
    return process.exitValue();
  }

  /** The last lines of the node's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** The whole log so far. */
  public String log() {
    return read(logFile);
  }

  /** SIGTERM, up to 15 s to drain, then SIGKILL. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    waitGone(Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return name() + "[pid " + pid() + ", " + address() + "]";
  }

  private void waitGone(Duration timeout) {
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LIVE.remove(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ProcessBuilder builder(
      List<String> jvmOptions, List<String> mainArgs, Path workDir, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(nodeClasspath());
    command.add(Main.class.getName());
    command.addAll(mainArgs);
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    // The node must see only what the test gives it, not a developer's TROUPE_* settings.
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(key -> key.startsWith("TROUPE_"));
    environment.put("TROUPE_ADMIN_USER", ADMIN_USER);
    environment.put("TROUPE_ADMIN_PASSWORD", ADMIN_PASSWORD);
    environment.putAll(env);
    return builder;
  }

  private static Process launch(ProcessBuilder builder) {
    try {
      Process process = builder.start();
      LIVE.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + builder.command().get(0), e);
    }
  }

  /**
   * The test JVM's real classpath (with test classes and test-jars): surefire runs tests from a
   * manifest-only jar and passes the real one in {@code surefire.test.class.path}.
   */
  static String testClasspath() {
    String surefire = System.getProperty("surefire.test.class.path");
    return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
  }

  /**
   * The test classpath with the project's own entries (class folders, troupe jars in the local
   * repository) copied once per test JVM under {@code target/node-classpath/<pid>}: a node
   * (re)started later in the run must not see half-written jars from a concurrent {@code mvn
   * install} of the other modules.
   */
  static synchronized String nodeClasspath() {
    if (nodeClasspath == null) {
      nodeClasspath = snapshot(testClasspath());
    }
    return nodeClasspath;
  }

  private static String nodeClasspath;

  private static String snapshot(String classpath) {
    Path dir = targetDir().resolve("node-classpath").resolve(Long.toString(ProcessHandle.current().pid()));
    Path projectRoot = targetDir().getParent().getParent();
    List<String> entries = new ArrayList<>();
    int index = 0;
    try {
      for (String entry : classpath.split(File.pathSeparator)) {
        Path path = Path.of(entry).toAbsolutePath().normalize();
        boolean ours =
            path.startsWith(projectRoot) || entry.replace('\\', '/').contains("/dev/troupe/");
        if (!ours || !Files.exists(path)) {
          entries.add(entry);
          continue;
        }
        Path copy = dir.resolve(index++ + "-" + path.getFileName());
        copyRecursively(path, copy);
        entries.add(copy.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the node classpath to " + dir, e);
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void copyRecursively(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path from : (Iterable<Path>) paths::iterator) {
        Path to = target.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** {@code target/} of the module under test. */
  static Path targetDir() {
    return Path.of("target").toAbsolutePath();
  }

  private static Path logDir() {
    Path dir = targetDir().resolve("node-logs");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** A loopback port that is free now and that this JVM has not handed out before. */
  public static int freePort() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (HANDED_OUT_PORTS.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no free port found");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
