package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code troupe start} refuses configurations that cannot work, as a process: exit code 2, one
 * line on stderr that says why, no stack trace, nothing started and no data written.
 */
class JoinOnH2RefusedIT {

  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void joinWithTheEmbeddedH2JournalIsRefused() throws Exception {
    Path workDir = freshWorkDir();
    NodeProcess.Result result =
        NodeProcess.run("join-on-h2", startArgs("--join", "127.0.0.1:25999"), Map.of(), workDir, EXIT_TIMEOUT);

    assertThat(result.exitCode()).as(describe(result)).isEqualTo(StartCommand.INVALID_CONFIG);
    assertThat(result.stderr())
        .as(describe(result))
        .containsIgnoringCase("H2")
        .contains("shared journal")
        .contains("--journal cassandra");
    assertRefusedCleanly(result, workDir);
  }

  @Test
  void joinFromTheEnvironmentWithTheEmbeddedH2JournalIsRefused() throws Exception {
    Path workDir = freshWorkDir();
    NodeProcess.Result result =
        NodeProcess.run("join-env-on-h2", startArgs(), Map.of("TROUPE_JOIN", "127.0.0.1:25999"), workDir, EXIT_TIMEOUT);

    assertThat(result.exitCode()).as(describe(result)).isEqualTo(StartCommand.INVALID_CONFIG);
    assertThat(result.stderr()).as(describe(result)).contains("shared journal");
    assertRefusedCleanly(result, workDir);
  }

  @Test
  void anUnknownJournalIsRefused() throws Exception {
    Path workDir = freshWorkDir();
    NodeProcess.Result result =
        NodeProcess.run("journal-mysql", startArgs("--journal", "mysql"), Map.of(), workDir, EXIT_TIMEOUT);

    assertThat(result.exitCode()).as(describe(result)).isNotZero().isEqualTo(StartCommand.INVALID_CONFIG);
    assertThat(result.stderr()).as(describe(result)).contains("mysql").contains("h2").contains("cassandra");
    assertRefusedCleanly(result, workDir);
  }

  private static List<String> startArgs(String... more) {
    List<String> args = new ArrayList<>();
    args.add("start");
    args.addAll(
        List.of(
            "--port", Integer.toString(NodeProcess.freePort()),
            "--remote-port", Integer.toString(NodeProcess.freePort()),
            "--management-port", Integer.toString(NodeProcess.freePort()),
            "--no-metrics"));
    args.addAll(List.of(more));
    return args;
  }

  private static void assertRefusedCleanly(NodeProcess.Result result, Path workDir) throws Exception {
    String all = result.stdout() + result.stderr();
    assertThat(all).as("no stack trace").doesNotContain("Exception").doesNotContainPattern("\\n\\s+at ");
    assertThat(result.stderr().strip().lines().count()).as(describe(result)).isEqualTo(1);
    assertThat(result.stderr()).startsWith("troupe: ");
    assertThat(all).as("nothing started").doesNotContain("listening on").doesNotContain("Remoting started");
    try (var files = Files.list(workDir)) {
      assertThat(files.toList()).as("nothing written (no ./data)").isEmpty();
    }
  }

  private static Path freshWorkDir() throws Exception {
    return Files.createDirectories(NodeProcess.targetDir().resolve("refused-" + UUID.randomUUID().toString().substring(0, 8)));
  }

  private static String describe(NodeProcess.Result result) {
    return "exit " + result.exitCode() + " after " + result.took().toMillis() + " ms\nstdout:\n" + result.stdout()
        + "\nstderr:\n" + result.stderr();
  }
}
