package dev.troupe.persistence.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Cassandra 5.0 server running in a child JVM, started from the {@code cassandra-all}
 * jars that {@link CassandraLibrary} provides. For tests and for a developer machine ({@code
 * ./troupe cassandra}); not a production launcher.
 *
 * <p>{@link #start} writes a minimal {@code cassandra.yaml} and a {@code logback.xml} into {@code
 * <dataDir>/conf}, keeps all data under {@code dataDir}, sends the server's log to {@code
 * <dataDir>/logs/system.log} (and the JVM's own output to {@code <dataDir>/logs/output.log}), and
 * returns once the CQL port accepts connections. JMX is not started, so several servers never
 * collide on its port. The caller owns the lifecycle: nothing is registered globally, and {@link
 * #close()} stops the server (SIGTERM, so Cassandra drains and flushes, then a forced kill after 20
 * s).
 */
public final class CassandraServer implements AutoCloseable {

  /** How long {@link #startOnFreePorts} waits for the CQL port. */
  public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(3);

  /** The address the server listens on: loopback only. */
  public static final String HOST = "127.0.0.1";

  /** How long a server may take to stop after SIGTERM before it is killed. */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private static final Logger log = LoggerFactory.getLogger(CassandraServer.class);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
  private static final int PORT_ATTEMPTS = 3;

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
  private final CassandraFiles files;
  private final int cqlPort;
  private final int storagePort;
  private volatile boolean closed;

  private CassandraServer(Process process, CassandraFiles files, int cqlPort, int storagePort) {
    this.process = process;
    this.files = files;
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
    CassandraPorts.requireFree(cqlPort);
    CassandraPorts.requireFree(storagePort);
    Optional<ProcessHandle> running = CassandraOrphans.runningServer(data);
    if (running.isPresent()) {
      throw new IllegalStateException(
          "a Cassandra server (pid " + running.get().pid() + ") already uses " + data);
    }

    CassandraFiles files = new CassandraFiles(data);
    files.write(cqlPort, storagePort);
    List<String> command = CassandraJvmOptions.command(lib, jamm, files, heap);
    long startNanos = System.nanoTime();
    Process process;
    try {
      // The working directory is the data folder, so crash files (hs_err) land there too.
      process =
          new ProcessBuilder(command)
              .directory(data.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(files.outputLog().toFile()))
              .start();
      CassandraOrphans.record(data, process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Cassandra with " + command.get(0), e);
    }
    CassandraServer server = new CassandraServer(process, files, cqlPort, storagePort);
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
      int[] ports = CassandraPorts.free(2);
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

  /**
   * Stops servers under {@code parent} (one folder level down) that an earlier JVM started with
   * this class and left running because it was killed before it could close them. A server is only
   * stopped if the JVM that started it is gone and the process is still a Cassandra daemon using
   * that folder. Returns how many were stopped.
   */
  public static int stopOrphans(Path parent) {
    return CassandraOrphans.stopOrphans(parent);
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
    return files.dataDir();
  }

  /** The server's log file. */
  public Path systemLog() {
    return files.systemLog();
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
    CassandraOrphans.forget(files.dataDir());
    log.info(
        "Cassandra (pid {}) stopped after {} ms",
        pid(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
  }

  @Override
  public String toString() {
    return "CassandraServer[" + contactPoint() + ", pid " + pid() + ", " + dataDir() + "]";
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
    return new IllegalStateException(
        what + " (CQL port " + cqlPort + ", data " + files.dataDir() + ")\n" + files.logTails());
  }
}
