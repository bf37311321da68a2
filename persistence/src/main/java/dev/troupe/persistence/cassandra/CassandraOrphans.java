package dev.troupe.persistence.cassandra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pid file a {@link CassandraServer} leaves in its data folder ({@code <server pid> <owner
 * pid>}), and what it is for: telling a live server that uses a folder from a stale record, and
 * stopping servers whose owning JVM died before it could close them.
 */
final class CassandraOrphans {

  // Written next to the data so a later run can tell a server whose owner died (see stopOrphans).
  private static final String PID_FILE = "troupe-cassandra.pid";

  private static final Logger log = LoggerFactory.getLogger(CassandraOrphans.class);

  private CassandraOrphans() {}

  /** Records that this JVM owns the server process {@code serverPid} using {@code dataDir}. */
  static void record(Path dataDir, long serverPid) throws IOException {
    Files.writeString(
        dataDir.resolve(PID_FILE),
        serverPid + " " + ProcessHandle.current().pid() + "\n",
        StandardCharsets.UTF_8);
  }

  /** Removes {@code dataDir}'s record once its server has stopped. */
  static void forget(Path dataDir) {
    try {
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
    } catch (IOException e) {
      // A stale pid file is recognised as such (the process is gone), so this is harmless.
    }
  }

  /** The live Cassandra process recorded in {@code dataDir}'s pid file, if there is one. */
  static Optional<ProcessHandle> runningServer(Path dataDir) {
    long[] pids = readPidFile(dataDir.resolve(PID_FILE));
    if (pids == null) {
      return Optional.empty();
    }
    // The pid may have been reused by an unrelated process: only trust a Cassandra daemon
    // started for this very folder.
    String storageFlag = CassandraJvmOptions.storageDirFlag(dataDir);
    return ProcessHandle.of(pids[0])
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains(CassandraJvmOptions.MAIN_CLASS) && c.contains(storageFlag))
                    .orElse(false));
  }

  /** See {@link CassandraServer#stopOrphans(Path)}. */
  static int stopOrphans(Path parent) {
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
        if (!stop(orphan.get(), pidFile.getParent())) {
          return stopped;
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

  /** SIGTERM, then a forced kill after the stop timeout; false if interrupted meanwhile. */
  private static boolean stop(ProcessHandle handle, Path dataDir) {
    log.warn("stopping orphaned Cassandra (pid {}) in {}", handle.pid(), dataDir);
    handle.destroy();
    try {
      handle.onExit().get(CassandraServer.STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      handle.destroyForcibly();
    }
    return true;
  }

  private static long[] readPidFile(Path pidFile) {
    try {
      String[] parts = Files.readString(pidFile, StandardCharsets.UTF_8).trim().split("\\s+");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
