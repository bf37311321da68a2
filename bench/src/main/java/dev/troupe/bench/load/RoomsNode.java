package dev.troupe.bench.load;

import dev.troupe.bench.node.BearerNameAuthenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Troupe node of the rooms benchmarks: the default configuration on H2, plus what thousands
 * of WebSocket clients need: {@code pekko.http.server.max-connections} raised from Pekko's 1024 to
 * {@link #MAX_CONNECTIONS}, and the bench's {@link BearerNameAuthenticator} (the bearer token is
 * the username, unverified: each connection is its own user, {@code admin} creates the rooms). The
 * JVM raises its own open-files limit to the hard limit (20,000 here); {@link #openFiles} reads it.
 */
final class RoomsNode {

  static final int MAX_CONNECTIONS = 20000;

  static final List<String> PROPERTIES =
      List.of(
          "-Dtroupe.http.authenticator=" + BearerNameAuthenticator.class.getName(),
          "-Dpekko.http.server.max-connections=" + MAX_CONNECTIONS);

  static final List<String> ADMIN = List.of("Authorization: Bearer admin");

  private RoomsNode() {}

  static TroupeNodeProcess start(BenchEnv env, Path dir) throws Exception {
    return TroupeNodeProcess.start(env, dir, PROPERTIES, "h2", null, false);
  }

  /** {@code PUT /rooms/{room}} for every name, public, {@code maxConnections} each. */
  static void createRooms(int port, List<String> rooms, int maxConnections) throws Exception {
    String body = "{\"visibility\":\"public\",\"maxConnections\":" + maxConnections + "}";
    for (String room : rooms) {
      HttpConnection.Response r = HttpConnection.once("127.0.0.1", port, "PUT", "/rooms/" + room, body, ADMIN);
      if (r.status() != 201 && r.status() != 200) {
        throw new IllegalStateException("PUT /rooms/" + room + ": HTTP " + r.status() + " " + r.text());
      }
    }
  }

  /** The soft open-files limit of a process ("Max open files" in /proc/<pid>/limits). */
  static String openFiles(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
          .filter(l -> l.startsWith("Max open files"))
          .map(l -> l.replace("Max open files", "").trim().split("\\s+")[0])
          .findFirst()
          .orElse("?");
    } catch (Exception e) {
      return "?";
    }
  }
}
