package dev.troupe.bench.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cache-mix baseline: a local Redis ({@code redis-server} with {@code --appendonly yes
 * --appendfsync everysec --save ''}: every write in the append-only file, fsynced once a second,
 * no RDB snapshots; its own data folder and port) and the minimal Node.js HTTP service of {@code
 * bench/redis-peer} on it, both pinned to the server cores. Two processes: {@link #processes()}
 * are frozen and continued together.
 */
final class RedisPeer implements AutoCloseable {

  final ServerProcess redis;
  final ServerProcess node;
  final int httpPort;
  final String describe;

  private RedisPeer(ServerProcess redis, ServerProcess node, int httpPort, String describe) {
    this.redis = redis;
    this.node = node;
    this.httpPort = httpPort;
    this.describe = describe;
  }

  /**
   * @param peerDir {@code bench/redis-peer}, with {@code server.js} and its {@code node_modules}
   *     ({@code npm install} done)
   */
  static RedisPeer start(String cpus, Path peerDir, String nodeBin, String redisServer, Path dataDir) throws Exception {
    Path script = peerDir.resolve("server.js").toAbsolutePath();
    if (!Files.exists(script) || !Files.isDirectory(peerDir.resolve("node_modules").resolve("redis"))) {
      throw new IllegalStateException(peerDir + " needs server.js and node_modules (run `npm install --no-audit --no-fund` there)");
    }
    int[] ports = ServerProcess.freePorts(2);
    List<String> redisCommand =
        List.of(redisServer, "--port", Integer.toString(ports[0]), "--bind", "127.0.0.1", "--dir", dataDir.toAbsolutePath().toString(),
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--daemonize", "no", "--logfile", "");
    ServerProcess redis = ServerProcess.start("redis-server", cpus, redisCommand, dataDir.resolve("redis.log"));
    ServerProcess node = null;
    try {
      redis.awaitLog("Ready to accept connections", Duration.ofSeconds(30));
      List<String> nodeCommand = List.of(nodeBin, script.toString(), Integer.toString(ports[1]), "redis://127.0.0.1:" + ports[0]);
      node = ServerProcess.start("node redis-peer", cpus, nodeCommand, dataDir.resolve("node.log"));
      node.awaitHttp(ports[1], "/health", Duration.ofSeconds(30));
      String describe =
          String.format("Node.js %s (redis npm %s) on redis-server %s (appendonly yes, appendfsync everysec, save '')",
              version(nodeBin, "--version"), npmRedisVersion(peerDir), redisVersion(redisServer));
      return new RedisPeer(redis, node, ports[1], describe);
    } catch (Exception e) {
      if (node != null) {
        node.close();
      }
      redis.close();
      throw e;
    }
  }

  List<ServerProcess> processes() {
    return List.of(redis, node);
  }

  private static String redisVersion(String redisServer) throws Exception {
    // "Redis server v=7.0.15 sha=..."
    String out = version(redisServer, "--version");
    int v = out.indexOf("v=");
    return v < 0 ? out : out.substring(v + 2).split(" ")[0];
  }

  private static String npmRedisVersion(Path peerDir) {
    try {
      String json = Files.readString(peerDir.resolve("node_modules/redis/package.json"), StandardCharsets.UTF_8);
      return BenchEnv.JSON.readTree(json).path("version").asText("?");
    } catch (Exception e) {
      return "?";
    }
  }

  private static String version(String command, String flag) throws Exception {
    Process p = new ProcessBuilder(command, flag).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  @Override
  public void close() {
    node.close();
    redis.close();
  }
}
