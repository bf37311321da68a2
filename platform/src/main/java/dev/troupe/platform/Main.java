package dev.troupe.platform;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code troupe} command line: {@code start} runs a node, {@code cassandra} a dev Cassandra. */
@Command(
    name = "troupe",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Troupe: an open reactive platform on Apache Pekko.",
    subcommands = {StartCommand.class, CassandraCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    int exit =
        new CommandLine(new Main())
            .setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                  // Operators get the reason, not a stack trace; the log has the details.
                  commandLine.getErr().println("troupe: " + rootMessage(e));
                  return 1;
                })
            .execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getMessage() != null && t.getMessage().startsWith(t.getCause().getClass().getName())) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    Throwable cause = t.getCause();
    return cause == null || cause.getMessage() == null ? message : message + " (" + cause.getMessage() + ")";
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
