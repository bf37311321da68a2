package dev.troupe.platform;

import com.typesafe.config.Config;
import dev.troupe.http.tls.ServerTls;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code troupe start}: runs one node until SIGTERM or Ctrl-C, then drains and exits. */
@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = "Start a Troupe node (embedded H2 journal unless --journal cassandra).")
public final class StartCommand implements Callable<Integer> {

  /** Exit code for a configuration the node refuses. */
  static final int INVALID_CONFIG = 2;

  /** Exit code for a node that could not start (port in use, journal unreachable, ...). */
  static final int START_FAILED = 1;

  @Mixin StartOptions options = new StartOptions();

  @Override
  public Integer call() throws Exception {
    if ("json".equalsIgnoreCase(options.logFormat)) {
      // Must be set before the first logger is created.
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    Config config;
    try {
      config = NodeConfig.build(options, System.getenv());
    } catch (NodeConfig.InvalidConfig e) {
      System.err.println("troupe: " + e.getMessage());
      return INVALID_CONFIG;
    }
    TroupeNode node;
    try {
      node = TroupeNode.start(config);
    } catch (Exception e) {
      // The details go to the log; the terminal gets one line that says what went wrong.
      LoggerFactory.getLogger(StartCommand.class).error("the node could not start", e);
      System.err.println("troupe: the node could not start: " + rootCause(e));
      return START_FAILED;
    }
    System.out.println(node.describe());
    // The fingerprint lets a client pin or check a self-signed certificate (openssl's format).
    ServerTls.describe(config).ifPresent(System.out::println);
    node.generatedAdminPassword()
        .ifPresent(
            password ->
                System.out.println(
                    "Created sys-admin '" + node.adminUser() + "' with password: " + password
                        + "\n  (shown once; change it with PUT /orgs/system/users/" + node.adminUser() + "/password)"));
    System.out.flush();
    node.whenTerminated().join();
    return 0;
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
