package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A node that cannot start says why in one line on stderr and exits non-zero. */
class StartFailureIT {

  @Test
  void anHttpPortInUseIsReportedInOneLineAndExitsWithOne() throws Exception {
    Path workDir =
        Files.createDirectories(NodeProcess.targetDir().resolve("start-failure-" + UUID.randomUUID().toString().substring(0, 8)));
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> args =
          List.of(
              "start",
              "--port", Integer.toString(busy.getLocalPort()),
              "--remote-port", Integer.toString(NodeProcess.freePort()),
              "--management-port", Integer.toString(NodeProcess.freePort()),
              "--data-dir", workDir.resolve("data").toString(),
              "--no-metrics");
      NodeProcess.Result result = NodeProcess.run("port-in-use", args, Map.of(), workDir, Duration.ofSeconds(60));

      String described = "exit " + result.exitCode() + "\nstderr:\n" + result.stderr();
      // SLF4J's own notice about replayed start-up log calls shows up with the test classpath.
      List<String> lines = result.stderr().lines().filter(l -> !l.startsWith("SLF4J(W)")).toList();
      assertThat(result.exitCode()).as(described).isEqualTo(StartCommand.START_FAILED);
      assertThat(lines).as(described).hasSize(1);
      assertThat(lines.get(0))
          .as(described)
          .startsWith("troupe: the node could not start: ")
          .contains("Address already in use")
          .contains(Integer.toString(busy.getLocalPort()));
    }
  }
}
