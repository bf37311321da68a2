package dev.troupe.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Troupe node started as {@code troupe start} starts it ({@code dev.troupe.platform.Main start}
 * with {@code -Djdk.attach.allowAttachSelf=true}, as the {@code ./troupe} launcher does), on free
 * ports, pinned to the server cores. Ready when {@code /health/ready} answers 200.
 */
final class TroupeNodeProcess implements AutoCloseable {

  static final String EXTENSION = "dev.troupe.bench.node.AppendExtension";

  final ServerProcess process;
  final int httpPort;
  final String describe;

  /**
   * Every bench node keeps its protections on, but one load generator on one address (and often
   * one token) would run into the default rate limits and connection caps, which are abuse
   * brakes, not what is measured: these raise them out of the way. The buckets are still taken
   * on every request. A command's own properties come later on the command line and win.
   */
  static final List<String> LOAD_LIMITS =
      List.of(
          "-Dtroupe.http.protections.rate-limits.default.per-ip.rate=10000000",
          "-Dtroupe.http.protections.rate-limits.default.per-ip.burst=10000000",
          "-Dtroupe.http.protections.rate-limits.default.per-principal.rate=10000000",
          "-Dtroupe.http.protections.rate-limits.default.per-principal.burst=10000000",
          "-Dtroupe.http.protections.rate-limits.auth.per-ip.rate=10000",
          "-Dtroupe.http.protections.rate-limits.auth.per-ip.burst=10000",
          "-Dtroupe.http.protections.rate-limits.auth.per-principal.rate=10000",
          "-Dtroupe.http.protections.rate-limits.auth.per-principal.burst=10000",
          "-Dtroupe.http.protections.max-connections-per-ip=1000000",
          "-Dtroupe.http.protections.max-connections-per-user=1000000");

  private TroupeNodeProcess(ServerProcess process, int httpPort, String describe) {
    this.process = process;
    this.httpPort = httpPort;
    this.describe = describe;
  }

  /**
   * @param systemProperties extra {@code -D} settings for the node JVM (e.g. snapshot-every)
   * @param journal "h2" or "cassandra"
   * @param cassandra contact point for the Cassandra journal
   * @param withExtension whether to load the bench extension (the HTTP bench starts the node
   *     without it, in its default configuration)
   */
  static TroupeNodeProcess start(
      BenchEnv env,
      Path dataDir,
      List<String> systemProperties,
      String journal,
      String cassandra,
      boolean withExtension)
      throws Exception {
    int[] ports = ServerProcess.freePorts(4);
    List<String> command = new ArrayList<>(env.jvm());
    command.add("-Djdk.attach.allowAttachSelf=true");
    command.addAll(LOAD_LIMITS);
    command.addAll(systemProperties);
    env.nodeProperties.forEach(p -> command.add("-D" + p));
    command.addAll(
        List.of(
            "-cp",
            env.classpath,
            "dev.troupe.platform.Main",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(ports[0]),
            "--remote-port",
            Integer.toString(ports[1]),
            "--management-port",
            Integer.toString(ports[2]),
            "--metrics-port",
            Integer.toString(ports[3]),
            "--data-dir",
            dataDir.toString(),
            "--journal",
            journal));
    if ("cassandra".equals(journal)) {
      command.add("--cassandra");
      command.add(cassandra);
    }
    command.addAll(env.nodeArgs);
    if (withExtension) {
      command.add("--extension");
      command.add(EXTENSION);
    }
    ServerProcess process =
        ServerProcess.start("troupe node", env.serverCpus, command, dataDir.resolve("node.log"));
    try {
      process.awaitHttp(ports[0], "/health/ready", Duration.ofSeconds(120));
      String describe =
          process.tail(200).lines().filter(l -> l.startsWith("Troupe node ")).findFirst().orElse("?");
      return new TroupeNodeProcess(process, ports[0], describe);
    } catch (Exception e) {
      process.close();
      throw e;
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
