package dev.troupe.bench.load;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A helper process of {@code rooms-memory}: opens {@code --connections} WebSockets to one system,
 * each joined to one of the rooms, prints {@code HELD <n> <seconds>} and keeps them open and idle
 * (answering pings) until the process is stopped. A process may hold at most about 20,000 sockets
 * here (open files), so the memory benchmark starts several.
 */
@Command(name = "rooms-hold", mixinStandardHelpOptions = true, description = "Holds idle room connections until stopped (a helper of rooms-memory).")
final class RoomsHoldCommand implements Callable<Integer> {

  @Option(names = "--system", required = true, description = "troupe or socketio")
  String system;

  @Option(names = "--port", required = true, description = "the server's port on 127.0.0.1")
  int port;

  @Option(names = "--room-prefix", defaultValue = "mem-", description = "rooms are <prefix>0 .. <prefix><rooms-1>")
  String roomPrefix;

  @Option(names = "--rooms", defaultValue = "100", description = "rooms the connections spread over")
  int rooms;

  @Option(names = "--connections", defaultValue = "2500", description = "connections to hold (a multiple of --rooms)")
  int connections;

  @Option(names = "--first-user", defaultValue = "0", description = "user index of the first connection (u<index>)")
  int firstUser;

  @Option(names = "--parallel", defaultValue = "32", description = "handshakes in flight")
  int parallel;

  @Override
  public Integer call() throws Exception {
    RoomLoad load = new RoomLoad(RoomWire.of(system), "127.0.0.1", port, RoomLoad.roomNames(roomPrefix, rooms), connections / rooms, firstUser);
    try {
      double took = load.open(parallel, Duration.ofSeconds(300));
      System.out.printf("HELD %d %.1f%n", load.live(), took);
    } catch (Exception e) {
      System.out.println("FAILED " + e.getMessage());
      load.close();
      return 1;
    }
    while (true) {
      Thread.sleep(10_000);
      if (load.live() < load.size()) {
        System.out.printf("LOST %d of %d: %s%n", load.size() - load.live(), load.size(), load.closeReasons());
      }
    }
  }
}
