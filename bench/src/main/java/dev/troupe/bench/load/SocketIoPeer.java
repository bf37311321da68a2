package dev.troupe.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The rooms baseline: {@code bench/socketio-peer/server.js} (Socket.IO 4, WebSocket transport
 * only) in one Node.js process pinned to the server cores, its open-files limit raised to {@link
 * #OPEN_FILES} ({@code ulimit -n} in a shell that then execs node) and {@code --expose-gc} so
 * {@code GET /memory} can collect before it reads the heap.
 */
final class SocketIoPeer implements AutoCloseable {

  static final int OPEN_FILES = 20000;

  final ServerProcess process;
  final int port;
  final String describe;

  private SocketIoPeer(ServerProcess process, int port, String describe) {
    this.process = process;
    this.port = port;
    this.describe = describe;
  }

  /** @param peerDir {@code bench/socketio-peer} with its {@code node_modules} ({@code npm install} done) */
  static SocketIoPeer start(String cpus, Path peerDir, String nodeBin, Path dataDir) throws Exception {
    Path script = peerDir.resolve("server.js").toAbsolutePath();
    if (!Files.exists(script) || !Files.isDirectory(peerDir.resolve("node_modules").resolve("socket.io"))) {
      throw new IllegalStateException(peerDir + " needs server.js and node_modules (run `npm install --no-audit --no-fund` there)");
    }
    int port = ServerProcess.freePorts(1)[0];
    String shell = "ulimit -n " + OPEN_FILES + " && exec \"$0\" --expose-gc \"$1\" \"$2\"";
    List<String> command = List.of("bash", "-c", shell, nodeBin, script.toString(), Integer.toString(port));
    ServerProcess process = ServerProcess.start("socketio-peer", cpus, command, dataDir.resolve("socketio.log"));
    try {
      process.awaitHttp(port, "/health", Duration.ofSeconds(30));
      String describe = String.format("Node.js %s, socket.io %s (engine.io %s, ws %s), transports [websocket]",
          version(nodeBin), npmVersion(peerDir, "socket.io"), npmVersion(peerDir, "engine.io"), npmVersion(peerDir, "ws"));
      return new SocketIoPeer(process, port, describe);
    } catch (Exception e) {
      process.close();
      throw e;
    }
  }

  /** {@code process.memoryUsage()} after a full GC, in MiB: rss, heapUsed, external... */
  java.util.Map<String, Double> memoryMb() throws Exception {
    HttpConnection.Response r = HttpConnection.once("127.0.0.1", port, "GET", "/memory", null);
    var json = BenchEnv.JSON.readTree(r.text());
    java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (String field : List.of("rss", "heapUsed", "heapTotal", "external", "arrayBuffers")) {
      out.put(field, json.path(field).asDouble() / (1024 * 1024));
    }
    out.put("sockets", json.path("sockets").asDouble());
    return out;
  }

  static String npmVersion(Path peerDir, String module) {
    Path pkg = peerDir.resolve("node_modules").resolve(module).resolve("package.json");
    try {
      return BenchEnv.JSON.readTree(Files.readString(pkg, StandardCharsets.UTF_8)).path("version").asText("?");
    } catch (Exception e) {
      return "?";
    }
  }

  private static String version(String nodeBin) throws Exception {
    Process p = new ProcessBuilder(nodeBin, "--version").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() {
    process.close();
  }
}
