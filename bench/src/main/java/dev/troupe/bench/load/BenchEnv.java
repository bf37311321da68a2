package dev.troupe.bench.load;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every bench command shares: where servers run, on which cores, where results go. */
final class BenchEnv {

  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .build();

  @Option(names = "--classpath", description = "classpath of the node and server processes (default: the bench's own)")
  String classpath = System.getProperty("java.class.path");

  @Option(names = "--java", description = "java executable for server processes (default: this JVM's)")
  String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @Option(names = "--server-cpus", defaultValue = "0", description = "taskset -c list for servers and stores (default 0; 'none' to not pin)")
  String serverCpus;

  @Option(names = "--client-cpus", defaultValue = "1", description = "taskset -c list for external load tools like wrk (default 1); pin the bench itself with taskset too")
  String clientCpus;

  @Option(names = "--warmup-cpus", defaultValue = "0,1", description = "taskset -c list a server may use during its warm-up only, so its JIT compiler finishes sooner (default 0,1; 'same' keeps the server cpus)")
  String warmupCpus;

  @Option(names = "--server-jvm-opts", defaultValue = "", description = "extra JVM options for every server JVM (default none: the troupe launcher's defaults)")
  String serverJvmOpts;

  @Option(names = "--node-arg", description = "extra flag for `troupe start` (repeatable), e.g. --node-arg=--no-metrics for a diagnosis run; the figures in docs/benchmarks.md use none")
  List<String> nodeArgs = new ArrayList<>();

  @Option(names = "--node-property", description = "extra -D property for node JVMs (repeatable), e.g. troupe.http.access-log=on")
  List<String> nodeProperties = new ArrayList<>();

  @Option(names = "--work-dir", defaultValue = "bench/target/work", description = "data folders and logs of the servers")
  Path workDir;

  @Option(names = "--results", defaultValue = "bench/target/results.jsonl", description = "JSON-lines file every result is appended to")
  Path results;

  @Option(names = "--jfr", description = "diagnosis: record a JFR profile of the node during the first measured Troupe window (kept in the work dir)")
  boolean jfr;

  @Option(names = "--keep-data", description = "keep data folders after a run")
  boolean keepData;

  /** The machine's load when the command started: other work on the machine skews figures. */
  final String loadavgStart = loadavg();

  static String loadavg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  List<String> jvm(String... extra) {
    List<String> command = new ArrayList<>();
    command.add(java);
    if (!serverJvmOpts.isBlank()) {
      command.addAll(Arrays.asList(serverJvmOpts.trim().split("\\s+")));
    }
    command.addAll(Arrays.asList(extra));
    return command;
  }

  /** A fresh folder under the work dir. */
  Path freshDir(String name) throws IOException {
    Path dir = workDir.toAbsolutePath().resolve(name + "-" + System.currentTimeMillis());
    Files.createDirectories(dir);
    return dir;
  }

  /** The cpus servers may use while warming up. */
  String warmupCpus() {
    return warmupCpus.equals("same") ? serverCpus : warmupCpus;
  }

  /** Starts a JFR recording of {@code seconds} on the node if {@code --jfr} was given. */
  void maybeProfile(ServerProcess node, String name, int seconds) throws Exception {
    if (!jfr) {
      return;
    }
    Path file = workDir.toAbsolutePath().resolve(name + "-" + System.currentTimeMillis() + ".jfr");
    Files.createDirectories(file.getParent());
    node.jcmd("JFR.start duration=" + seconds + "s settings=profile filename=" + file);
    System.out.println("  recording JFR to " + file);
  }

  void removeData(Path dir) {
    if (keepData || dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder())
          .filter(p -> !p.getFileName().toString().endsWith(".log"))
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a non-empty folder still holding logs
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }

  /** Appends one result as a JSON line and prints it. */
  void record(Map<String, Object> result) throws IOException {
    if (!nodeArgs.isEmpty()) {
      result.put("nodeArgs", nodeArgs);
    }
    if (!nodeProperties.isEmpty()) {
      result.put("nodeProperties", nodeProperties);
    }
    if (!serverJvmOpts.isBlank()) {
      result.put("serverJvmOpts", serverJvmOpts);
    }
    result.put("loadavgStart", loadavgStart);
    result.put("loadavgEnd", loadavg());
    result.put("finishedAt", Instant.now().toString());
    String line = JSON.writeValueAsString(result);
    Path file = results.toAbsolutePath();
    Files.createDirectories(file.getParent());
    Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    System.out.println("RESULT " + line);
  }

  /** The CPU affinity of this (the load generator's) process, as taskset reports it. */
  static String ownAffinity() {
    try {
      Process p = new ProcessBuilder("taskset", "-cp", Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      int colon = out.lastIndexOf(':');
      return colon < 0 ? out : out.substring(colon + 1).trim();
    } catch (Exception e) {
      return "?";
    }
  }
}
