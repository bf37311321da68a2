package dev.troupe.persistence.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds, or fetches once, the jars of the Apache Cassandra server ({@code cassandra-all} 5.0.6 and
 * its runtime dependencies) that {@link CassandraServer} runs.
 *
 * <p>No Cassandra binary tarball is reachable from our registry mirror, so the server is assembled
 * from Maven artifacts: the standalone {@code persistence/cassandra-server/pom.xml} is resolved
 * with {@code maven-dependency-plugin:copy-dependencies} into {@code <troupe
 * home>/target/cassandra-lib}. The folder is filled under a temporary name and renamed into place
 * only when Maven succeeded, so a concurrent or aborted run never leaves a half-filled folder.
 */
public final class CassandraLibrary {

  /** The standalone pom, relative to the Troupe home, that lists the server's jars. */
  public static final String SERVER_POM = "persistence/cassandra-server/pom.xml";

  private static final String LIB_DIR = "cassandra-lib";
  private static final Duration MAVEN_TIMEOUT = Duration.ofMinutes(20);
  // Temporary folders of aborted runs are removed once they are clearly not in use by a
  // concurrent run any more.
  private static final Duration STALE_TEMP_AGE = Duration.ofHours(2);

  private CassandraLibrary() {}

  /**
   * The folder holding the Cassandra server jars, {@code <troupeHome>/target/cassandra-lib},
   * fetched with Maven ({@code mvn} from the {@code PATH}) first if it is missing or incomplete.
   *
   * @throws IllegalStateException if Maven fails (its output is in the message's log file)
   */
  public static Path resolve(Path troupeHome) {
    Path home = troupeHome.toAbsolutePath().normalize();
    Path lib = home.resolve("target").resolve(LIB_DIR);
    if (isComplete(lib)) {
      return lib;
    }
    Path pom = home.resolve(SERVER_POM);
    if (!Files.isRegularFile(pom)) {
      throw new IllegalStateException(
          "cannot fetch the Cassandra server jars: " + pom + " does not exist");
    }
    try {
      Files.createDirectories(lib.getParent());
      removeStaleTempDirs(lib.getParent());
      Path temp = lib.resolveSibling(LIB_DIR + ".tmp-" + UUID.randomUUID());
      Path log = lib.resolveSibling(temp.getFileName() + ".log");
      runMaven(home, pom, temp, log);
      if (!isComplete(temp)) {
        throw new IllegalStateException(
            "Maven succeeded but " + temp + " holds no cassandra-all and jamm jars; see " + log);
      }
      install(temp, lib);
      Files.deleteIfExists(log);
      return lib;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Cassandra server jars in " + lib, e);
    }
  }

  /**
   * The root of the Troupe source tree: the system property {@code troupe.home}, else the
   * environment variable {@code TROUPE_HOME}, else the nearest folder at or above the current
   * directory that contains {@value #SERVER_POM}.
   *
   * @throws IllegalStateException if none of those gives a folder
   */
  public static Path troupeHome() {
    String property = System.getProperty("troupe.home");
    if (property != null && !property.isBlank()) {
      return Path.of(property).toAbsolutePath().normalize();
    }
    String env = System.getenv("TROUPE_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath().normalize();
    }
    Path start = Path.of("").toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SERVER_POM))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find the Troupe home: set -Dtroupe.home or TROUPE_HOME, or run from inside the"
            + " source tree (no "
            + SERVER_POM
            + " at or above "
            + start
            + ")");
  }

  /** Whether {@code dir} holds a finished copy: the server jar and the jamm agent it needs. */
  static boolean isComplete(Path dir) {
    return findJar(dir, "cassandra-all-") != null && findJar(dir, "jamm-") != null;
  }

  /** The first jar in {@code dir} whose name starts with {@code prefix}, or null. */
  static Path findJar(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.startsWith(prefix) && name.endsWith(".jar");
              })
          .sorted()
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static void runMaven(Path home, Path pom, Path outputDir, Path log) throws IOException {
    List<String> command =
        List.of(
            "mvn",
            "-B",
            "-q",
            "-f",
            pom.toString(),
            "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies",
            "-DincludeScope=runtime",
            "-DoutputDirectory=" + outputDir);
    // Output goes to a file: a test run stays quiet, and the file is named in the error.
    Process process =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      if (!process.waitFor(MAVEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        deleteTree(outputDir);
        throw new IllegalStateException(
            "fetching the Cassandra server jars took over " + MAVEN_TIMEOUT + "; see " + log);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      deleteTree(outputDir);
      throw new IllegalStateException("interrupted while fetching the Cassandra server jars", e);
    }
    if (process.exitValue() != 0) {
      deleteTree(outputDir);
      throw new IllegalStateException(
          "fetching the Cassandra server jars failed (exit "
              + process.exitValue()
              + "): "
              + String.join(" ", command)
              + "\n"
              + tail(log, 40)
              + "\n(full output in "
              + log
              + ")");
    }
  }

  /** Moves the finished {@code temp} folder to {@code lib} in one step. */
  private static void install(Path temp, Path lib) throws IOException {
    if (Files.exists(lib) && !isComplete(lib)) {
      // An incomplete folder (not one of ours, e.g. filled by hand) is moved aside whole, so
      // the rename below can still be atomic.
      Path aside = lib.resolveSibling(LIB_DIR + ".tmp-" + UUID.randomUUID() + "-incomplete");
      try {
        Files.move(lib, aside, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(aside);
      } catch (IOException e) {
        // Another run moved or replaced it first: fine, the checks below decide.
      }
    }
    try {
      Files.move(temp, lib, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      deleteTree(temp);
      throw new IllegalStateException(
          "cannot rename " + temp + " to " + lib + " atomically on this file system", e);
    } catch (IOException e) {
      // Renaming onto an existing folder fails (on Linux with "Directory not empty", a plain
      // FileSystemException): a concurrent run finished first, and its folder is as good as ours.
      deleteTree(temp);
      if (!isComplete(lib)) {
        throw new IllegalStateException(
            "cannot move " + temp + " to " + lib + "; delete " + lib + " and retry", e);
      }
    }
  }

  private static void removeStaleTempDirs(Path parent) {
    Instant cutoff = Instant.now().minus(STALE_TEMP_AGE);
    try (Stream<Path> entries = Files.list(parent)) {
      entries
          .filter(p -> p.getFileName().toString().startsWith(LIB_DIR + ".tmp-"))
          .filter(
              p -> {
                try {
                  return Files.getLastModifiedTime(p).toInstant().isBefore(cutoff);
                } catch (IOException e) {
                  return false;
                }
              })
          .forEach(CassandraLibrary::deleteTree);
    } catch (IOException e) {
      // Only housekeeping: a leftover temp folder does no harm.
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // Best effort: whatever is left is removed by the next stale-folder sweep.
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // Best effort, as above.
    }
  }

  /** The last {@code lines} lines of a text file, or a note that it cannot be read. */
  static String tail(Path file, int lines) {
    // Only the end of the file is read: a server log can be large.
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long size = channel.size();
      int length = (int) Math.min(size, 64 * 1024);
      ByteBuffer buffer = ByteBuffer.allocate(length);
      channel.position(size - length);
      while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
        // keep reading until the buffer is full
      }
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
      List<String> all = text.lines().collect(Collectors.toList());
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
