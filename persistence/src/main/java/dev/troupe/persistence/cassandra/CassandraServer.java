package dev.troupe.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Cassandra 5.0 server running in a child JVM, started from the {@code cassandra-all}
 * jars that {@link CassandraLibrary} provides. For tests and for a developer machine; not a
 * production launcher.
 *
 * <p>{@link #start} writes a minimal {@code cassandra.yaml} and a {@code logback.xml} into {@code
 * <dataDir>/conf}, keeps all data under {@code dataDir}, sends the server's log to {@code
 * <dataDir>/logs/system.log} (and the JVM's own output to {@code <dataDir>/logs/output.log}), and
 * returns once the CQL port accepts connections. JMX is not started, so several servers never
 * collide on its port. The caller owns the lifecycle: nothing is registered globally, and {@link
 * #close()} stops the server (SIGTERM, so Cassandra drains and flushes, then a forced kill after 20
 * s).
 *
 * <p>As a developer command it runs in the foreground until Ctrl-C:
 *
 * <pre>
 * mvn -q -pl persistence org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
 *   -Dexec.mainClass=dev.troupe.persistence.cassandra.CassandraServer \
 *   -Dexec.args="--cql-port 9042 --create-schema"
 * </pre>
 */
public final class CassandraServer implements AutoCloseable {

  /** How long {@link #startOnFreePorts} waits for the CQL port. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(3);

  /** The address the server listens on: loopback only. */
  public static final String HOST = "127.0.0.1";

  private static final Logger log = LoggerFactory.getLogger(CassandraServer.class);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final String MAIN_CLASS = "org.apache.cassandra.service.CassandraDaemon";
  // Written next to the data so a later run can tell a server whose owner died (see stopOrphans).
  private static final String PID_FILE = "troupe-cassandra.pid";
  private static final int PORT_ATTEMPTS = 3;

  // Cassandra 5.0's conf/jvm17-server.options ("JPMS" section): without these it dies early,
  // e.g. with IllegalAccessException on sun.nio.ch.DirectBuffer.cleaner.
  private static final List<String> JPMS_OPTIONS =
      List.of(
          "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
          "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
          "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
          "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
          "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
          "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
          "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
          "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
          "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens", "java.base/java.io=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
          "--add-opens", "java.base/java.lang=ALL-UNNAMED",
          "--add-opens", "java.base/java.util=ALL-UNNAMED");

  // GC and Netty settings from conf/jvm17-server.options and general ones from
  // conf/jvm-server.options, minus those that only slow a small server's start
  // (-XX:+AlwaysPreTouch) or litter the working directory (heap dumps).
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-ea",
          "-da:net.openhft...",
          "-Xss256k",
          // Cassandra's startup check asks for this: carrying on after an OutOfMemoryError can
          // corrupt data.
          "-XX:+ExitOnOutOfMemoryError",
          "-XX:+UseG1GC",
          "-XX:+ParallelRefProcEnabled",
          "-XX:MaxTenuringThreshold=1",
          "-XX:G1HeapRegionSize=16m",
          "-XX:G1RSetUpdatingPauseTimePercent=5",
          "-XX:MaxGCPauseMillis=300",
          "-XX:InitiatingHeapOccupancyPercent=70",
          "-Djava.net.preferIPv4Stack=true",
          "-Djdk.attach.allowAttachSelf=true",
          "-Dio.netty.tryReflectionSetAccessible=true",
          "-Dio.netty.allocator.useCacheForAllThreads=true",
          "-Dio.netty.allocator.maxOrder=11",
          "-Dcassandra-foreground=yes",
          // A one-node ring: no need to wait 30 s for gossip before joining.
          "-Dcassandra.ring_delay_ms=1000",
          "-Dcassandra.skip_wait_for_gossip_to_settle=0");

  /**
   * The server JVM's heap: {@code -Xms}/{@code -Xmx} ({@code size}) and {@code -Xmn} ({@code
   * young}), in the JVM's notation ({@code 1G}, {@code 512M}).
   */
  public record Heap(String size, String young) {
    private static final Pattern SIZE = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

    /** 1 GiB with a 200 MiB young generation: about 1.5 GB resident. */
    public static final Heap DEFAULT = new Heap("1G", "200M");

    /** Validates the sizes. */
    public Heap {
      if (!SIZE.matcher(size).matches() || !SIZE.matcher(young).matches()) {
        throw new IllegalArgumentException(
            "heap sizes look like 1G or 200M: " + size + ", " + young);
      }
    }
  }

  private final Process process;
  private final Path dataDir;
  private final int cqlPort;
  private final int storagePort;
  private volatile boolean closed;

  private CassandraServer(Process process, Path dataDir, int cqlPort, int storagePort) {
    this.process = process;
    this.dataDir = dataDir;
    this.cqlPort = cqlPort;
    this.storagePort = storagePort;
  }

  /**
   * Starts a server with the default heap ({@link Heap#DEFAULT}) and waits until its CQL port
   * accepts connections.
   *
   * @param libDir the server jars, see {@link CassandraLibrary#resolve}
   * @param dataDir where configuration, data and logs go; reused data is kept
   * @param cqlPort the native transport (CQL) port
   * @param storagePort the inter-node port
   * @param readyTimeout how long to wait for the CQL port
   * @throws IllegalStateException if a port is taken, or the server dies or is not ready in time
   *     (the message carries the end of its log)
   */
  public static CassandraServer start(
      Path libDir, Path dataDir, int cqlPort, int storagePort, Duration readyTimeout) {
    return start(libDir, dataDir, cqlPort, storagePort, readyTimeout, Heap.DEFAULT);
  }

  /** As {@link #start(Path, Path, int, int, Duration)}, with the given heap. */
  public static CassandraServer start(
      Path libDir, Path dataDir, int cqlPort, int storagePort, Duration readyTimeout, Heap heap) {
    if (cqlPort == storagePort) {
      throw new IllegalArgumentException("CQL and storage ports must differ: " + cqlPort);
    }
    Path lib = libDir.toAbsolutePath().normalize();
    Path data = dataDir.toAbsolutePath().normalize();
    Path jamm = CassandraLibrary.findJar(lib, "jamm-");
    if (CassandraLibrary.findJar(lib, "cassandra-all-") == null || jamm == null) {
      throw new IllegalStateException(
          lib + " holds no cassandra-all and jamm jars: use CassandraLibrary.resolve");
    }
    // Checked before launching, so the readiness poll cannot mistake another process for ours.
    requireFree(cqlPort);
    requireFree(storagePort);
    Optional<ProcessHandle> running = runningServer(data);
    if (running.isPresent()) {
      throw new IllegalStateException(
          "a Cassandra server (pid " + running.get().pid() + ") already uses " + data);
    }

    Path conf = data.resolve("conf");
    Path logs = data.resolve("logs");
    Path yaml = conf.resolve("cassandra.yaml");
    Path logback = conf.resolve("logback.xml");
    // Cassandra warns every minute when its triggers folder is missing.
    Path triggers = conf.resolve("triggers");
    try {
      Files.createDirectories(triggers);
      Files.createDirectories(logs);
      Files.writeString(yaml, cassandraYaml(data, cqlPort, storagePort), StandardCharsets.UTF_8);
      Files.writeString(logback, logbackXml(logs), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Cassandra configuration in " + conf, e);
    }

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms" + heap.size());
    command.add("-Xmx" + heap.size());
    command.add("-Xmn" + heap.young());
    command.addAll(JVM_OPTIONS);
    command.addAll(JPMS_OPTIONS);
    command.add("-javaagent:" + jamm);
    command.add("-Dcassandra.config=" + yaml.toUri());
    command.add("-Dcassandra.storagedir=" + data);
    command.add("-Dcassandra.logdir=" + logs);
    command.add("-Dcassandra.triggers_dir=" + triggers);
    command.add("-Dlogback.configurationFile=" + logback);
    command.add("-cp");
    command.add(conf + File.pathSeparator + lib.resolve("*"));
    command.add(MAIN_CLASS);

    Path output = logs.resolve("output.log");
    long startNanos = System.nanoTime();
    Process process;
    try {
      // The working directory is the data folder, so crash files (hs_err) land there too.
      process =
          new ProcessBuilder(command)
              .directory(data.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
              .start();
      Files.writeString(
          data.resolve(PID_FILE),
          process.pid() + " " + ProcessHandle.current().pid() + "\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Cassandra with " + command.get(0), e);
    }
    CassandraServer server = new CassandraServer(process, data, cqlPort, storagePort);
    server.awaitReady(readyTimeout, startNanos);
    log.info(
        "Cassandra ready on {} after {} ms (pid {}, data {})",
        server.contactPoint(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        process.pid(),
        data);
    return server;
  }

  /**
   * Starts a server with the default heap on two free ports, waiting at most {@link
   * #DEFAULT_READY_TIMEOUT}.
   */
  public static CassandraServer startOnFreePorts(Path libDir, Path dataDir) {
    return startOnFreePorts(libDir, dataDir, Heap.DEFAULT, DEFAULT_READY_TIMEOUT);
  }

  /**
   * Starts a server on two free ports. If another process grabs a port between the probe and the
   * server's bind, it tries again with new ports.
   */
  public static CassandraServer startOnFreePorts(
      Path libDir, Path dataDir, Heap heap, Duration readyTimeout) {
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
      int[] ports = freePorts(2);
      try {
        return start(libDir, dataDir, ports[0], ports[1], readyTimeout, heap);
      } catch (IllegalStateException e) {
        String message = String.valueOf(e.getMessage());
        if (!message.contains("already in use") && !message.contains("is taken")) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  /** The CQL (native transport) port. */
  public int cqlPort() {
    return cqlPort;
  }

  /** The inter-node (storage) port. */
  public int storagePort() {
    return storagePort;
  }

  /** {@code 127.0.0.1:<cqlPort>}, as the driver's {@code basic.contact-points} expects. */
  public String contactPoint() {
    return HOST + ":" + cqlPort;
  }

  /** The server JVM's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the server JVM is still running. */
  public boolean isRunning() {
    return process.isAlive();
  }

  /** The folder holding this server's configuration, data and logs. */
  public Path dataDir() {
    return dataDir;
  }

  /** The server's log file. */
  public Path systemLog() {
    return dataDir.resolve("logs").resolve("system.log");
  }

  /**
   * Stops the server: SIGTERM (Cassandra drains and flushes), up to 20 s, then a forced kill.
   * Returns when the process has exited. Calling it again does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long startNanos = System.nanoTime();
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("Cassandra (pid {}) did not stop within {}; killing it", pid(), STOP_TIMEOUT);
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
    } catch (IOException e) {
      // A stale pid file is recognised as such (the process is gone), so this is harmless.
    }
    log.info(
        "Cassandra (pid {}) stopped after {} ms",
        pid(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  @Override
  public String toString() {
    return "CassandraServer[" + contactPoint() + ", pid " + pid() + ", " + dataDir + "]";
  }

  /**
   * Stops servers under {@code parent} (one folder level down) that an earlier JVM started with
   * this class and left running because it was killed before it could close them. A server is only
   * stopped if the JVM that started it is gone and the process is still a Cassandra daemon using
   * that folder. Returns how many were stopped.
   */
  public static int stopOrphans(Path parent) {
    if (!Files.isDirectory(parent)) {
      return 0;
    }
    int stopped = 0;
    List<Path> pidFiles;
    try (Stream<Path> dirs = Files.list(parent)) {
      pidFiles = dirs.map(d -> d.resolve(PID_FILE)).filter(Files::isRegularFile).toList();
    } catch (IOException e) {
      return 0;
    }
    for (Path pidFile : pidFiles) {
      long[] pids = readPidFile(pidFile);
      if (pids == null || ProcessHandle.of(pids[1]).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      Optional<ProcessHandle> orphan = runningServer(pidFile.getParent());
      if (orphan.isPresent()) {
        ProcessHandle handle = orphan.get();
        log.warn("stopping orphaned Cassandra (pid {}) in {}", handle.pid(), pidFile.getParent());
        handle.destroy();
        try {
          handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          handle.destroyForcibly();
          Thread.currentThread().interrupt();
          return stopped;
        } catch (ExecutionException | TimeoutException e) {
          handle.destroyForcibly();
        }
        stopped++;
      }
      try {
        Files.deleteIfExists(pidFile);
      } catch (IOException e) {
        // Checked again next time.
      }
    }
    return stopped;
  }

  /**
   * Runs a server in the foreground until Ctrl-C. Options: {@code --data DIR} (default {@code
   * <troupe home>/target/cassandra-dev}), {@code --cql-port N} (9042), {@code --storage-port N}
   * (7000), {@code --heap SIZE} (1G), {@code --young SIZE} (200M), {@code --create-schema}
   * (keyspaces {@code troupe} and {@code troupe_snapshot}, replication factor 1).
   */
  public static void main(String[] args) throws InterruptedException {
    Path home = CassandraLibrary.troupeHome();
    Path data = home.resolve("target").resolve("cassandra-dev");
    int cqlPort = 9042;
    int storagePort = 7000;
    String heapSize = Heap.DEFAULT.size();
    String young = Heap.DEFAULT.young();
    boolean createSchema = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--cql-port" -> cqlPort = Integer.parseInt(args[++i]);
        case "--storage-port" -> storagePort = Integer.parseInt(args[++i]);
        case "--heap" -> heapSize = args[++i];
        case "--young" -> young = args[++i];
        case "--create-schema" -> createSchema = true;
        default -> {
          System.err.println(
              "usage: CassandraServer [--data DIR] [--cql-port N] [--storage-port N]"
                  + " [--heap 1G] [--young 200M] [--create-schema]");
          System.exit(2);
        }
      }
    }
    Path lib = CassandraLibrary.resolve(home);
    System.out.println("Starting Cassandra from " + lib + " with data in " + data + " ...");
    CassandraServer server =
        start(lib, data, cqlPort, storagePort, DEFAULT_READY_TIMEOUT, new Heap(heapSize, young));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "cassandra-stop"));
    if (createSchema) {
      try (CqlSession session =
          CassandraSchema.connect(server.contactPoint(), Duration.ofSeconds(60))) {
        CassandraSchema.create(session, "troupe", "troupe_snapshot", 1);
      }
      System.out.println("Created keyspaces troupe and troupe_snapshot.");
    }
    System.out.println(
        "Cassandra is ready at "
            + server.contactPoint()
            + " (pid "
            + server.pid()
            + ", log "
            + server.systemLog()
            + "). Ctrl-C stops it.");
    int exit = server.process.waitFor();
    if (!server.closed) {
      System.err.println("Cassandra exited with " + exit + "; see " + server.systemLog());
      System.exit(1);
    }
  }

  /** Polls the CQL port until it accepts a connection; stops the process if it never does. */
  private void awaitReady(Duration timeout, long startNanos) {
    long deadline = startNanos + timeout.toNanos();
    InetSocketAddress address = new InetSocketAddress(HOST, cqlPort);
    try {
      while (true) {
        if (!process.isAlive()) {
          throw failure("Cassandra exited with " + process.exitValue() + " before it was ready");
        }
        try (Socket socket = new Socket()) {
          socket.connect(address, (int) POLL_INTERVAL.toMillis());
          return;
        } catch (IOException notYet) {
          // Not listening yet.
        }
        if (System.nanoTime() > deadline) {
          throw failure("Cassandra was not ready within " + timeout);
        }
        // Waiting on the process rather than sleeping: a crash ends the wait at once.
        process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for Cassandra");
    } catch (RuntimeException e) {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      throw e;
    }
  }

  private IllegalStateException failure(String what) {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closed = true;
    Path logs = dataDir.resolve("logs");
    return new IllegalStateException(
        what
            + " (CQL port "
            + cqlPort
            + ", data "
            + dataDir
            + ")\n--- end of "
            + logs.resolve("system.log")
            + " ---\n"
            + CassandraLibrary.tail(logs.resolve("system.log"), 40)
            + "\n--- end of "
            + logs.resolve("output.log")
            + " ---\n"
            + CassandraLibrary.tail(logs.resolve("output.log"), 20));
  }

  /** {@code count} distinct free ports, probed by binding port 0. */
  static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      // All sockets stay open until every port is picked, so the ports are distinct.
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // Closing a probe socket cannot matter.
        }
      }
    }
  }

  private static void requireFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(HOST, port));
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " on " + HOST + " is taken", e);
    }
  }

  /** The live Cassandra process recorded in {@code dataDir}'s pid file, if there is one. */
  private static Optional<ProcessHandle> runningServer(Path dataDir) {
    long[] pids = readPidFile(dataDir.resolve(PID_FILE));
    if (pids == null) {
      return Optional.empty();
    }
    // The pid may have been reused by an unrelated process: only trust a Cassandra daemon
    // started for this very folder.
    String storageFlag = "-Dcassandra.storagedir=" + dataDir.toAbsolutePath().normalize();
    return ProcessHandle.of(pids[0])
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains(MAIN_CLASS) && c.contains(storageFlag))
                    .orElse(false));
  }

  private static long[] readPidFile(Path pidFile) {
    try {
      String[] parts = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split("\\s+");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String cassandraYaml(Path data, int cqlPort, int storagePort) {
    // Only what a one-node dev/test server needs; everything else keeps Cassandra 5.0's
    // defaults. The seed must name the storage port: without it the node looks for a seed on
    // 7000.
    return String.join(
        "\n",
        "# Written by dev.troupe.persistence.cassandra.CassandraServer on every start.",
        "cluster_name: 'Troupe'",
        "num_tokens: 16",
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
        "endpoint_snitch: SimpleSnitch",
        "seed_provider:",
        "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:",
        "      - seeds: '" + HOST + ":" + storagePort + "'",
        "listen_address: " + HOST,
        "rpc_address: " + HOST,
        "storage_port: " + storagePort,
        "native_transport_port: " + cqlPort,
        "start_native_transport: true",
        "commitlog_sync: periodic",
        "commitlog_sync_period: 10000ms",
        "data_file_directories:",
        "  - " + yamlString(data.resolve("data")),
        "commitlog_directory: " + yamlString(data.resolve("commitlog")),
        "hints_directory: " + yamlString(data.resolve("hints")),
        "saved_caches_directory: " + yamlString(data.resolve("saved_caches")),
        "cdc_raw_directory: " + yamlString(data.resolve("cdc_raw")),
        "authenticator: AllowAllAuthenticator",
        "authorizer: AllowAllAuthorizer",
        // Tests truncate and drop tables often; a snapshot per drop only costs time and disk.
        "auto_snapshot: false",
        "");
  }

  private static String logbackXml(Path logs) {
    String file = xml(logs.resolve("system.log").toString());
    String pattern = xml(logs.resolve("system.log").toString() + ".%i.zip");
    return String.join(
        "\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<!-- Written by dev.troupe.persistence.cassandra.CassandraServer on every start. -->",
        "<configuration scan=\"false\">",
        "  <appender name=\"SYSTEMLOG\" class=\"ch.qos.logback.core.rolling.RollingFileAppender\">",
        "    <file>" + file + "</file>",
        "    <rollingPolicy class=\"ch.qos.logback.core.rolling.FixedWindowRollingPolicy\">",
        "      <fileNamePattern>" + pattern + "</fileNamePattern>",
        "      <minIndex>1</minIndex>",
        "      <maxIndex>3</maxIndex>",
        "    </rollingPolicy>",
        "    <triggeringPolicy"
            + " class=\"ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy\">",
        "      <maxFileSize>50MB</maxFileSize>",
        "    </triggeringPolicy>",
        "    <encoder>",
        "      <pattern>%-5level [%thread] %date{ISO8601} %logger{36} - %msg%n</pattern>",
        "    </encoder>",
        "  </appender>",
        "  <root level=\"INFO\">",
        "    <appender-ref ref=\"SYSTEMLOG\"/>",
        "  </root>",
        "</configuration>",
        "");
  }

  private static String yamlString(Path path) {
    return "'" + path.toString().replace("'", "''") + "'";
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
