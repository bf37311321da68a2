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
    int exit = new CommandLine(new Main()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
