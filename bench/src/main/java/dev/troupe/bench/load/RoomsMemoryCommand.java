package dev.troupe.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Memory per idle connection: {@code --connections} (10k) WebSockets, each joined to one of
 * {@code --rooms} rooms, held by {@code --processes} helper processes ({@link RoomsHoldCommand},
 * open files 20k each, on the client cores). On the Troupe node: live heap after a full GC ({@code
 * jcmd GC.run}, then {@code GC.heap_info} used and the {@code GC.class_histogram} total) and RSS
 * ({@code /proc/<pid>/status} VmRSS), minus the same figures with no connection (taken right before
 * connecting, after a warm pass of 200 connections that loads the classes), divided by the
 * connections (target <= 50 KB of live heap each). The same for Socket.IO for context: RSS, and V8
 * heap used after {@code global.gc()}.
 */
@Command(name = "rooms-memory", mixinStandardHelpOptions = true, description = "Memory per idle room connection: Troupe (live heap, RSS) and Socket.IO (RSS, V8 heap).")
final class RoomsMemoryCommand implements Callable<Integer> {

  static final double TARGET_KB = 50;

  @Mixin BenchEnv env = new BenchEnv();

  @Option(names = "--socketio-peer", required = true, description = "folder of the Socket.IO server (bench/socketio-peer, npm install done)")
  Path socketIoPeer;

  @Option(names = "--node-bin", defaultValue = "node", description = "the Node.js executable")
  String nodeBin;

  @Option(names = "--connections", defaultValue = "10000", description = "idle connections (a multiple of --processes x --rooms)")
  int connections;

  @Option(names = "--processes", defaultValue = "4", description = "helper processes holding the connections")
  int processes;

  @Option(names = "--rooms", defaultValue = "100", description = "rooms the connections spread over")
  int rooms;

  @Option(names = "--rounds", defaultValue = "3", description = "measured rounds, fresh connections each")
  int rounds;

  @Option(names = "--settle", defaultValue = "5", description = "seconds between the last join and the reading")
  int settle;

  @Option(names = "--systems", defaultValue = "troupe,socketio", split = ",", description = "for diagnosis: only these of troupe, socketio")
  List<String> systems;

  private static final String PREFIX = "mem-";

  @Override
  public Integer call() throws Exception {
    if (connections % (processes * rooms) != 0) {
      throw new IllegalArgumentException("--connections must be a multiple of --processes x --rooms");
    }
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("bench", "rooms-memory");
    common.put("connections", connections);
    common.put("processes", processes);
    common.put("rooms", rooms);
    common.put("settleSeconds", settle);
    common.put("serverCpus", env.serverCpus);
    common.put("clientCpus", env.clientCpus);
    common.put("journal", "h2");
    common.put("nodeProperties", RoomsNode.PROPERTIES);
    List<String> roomNames = RoomLoad.roomNames(PREFIX, rooms);
    Path nodeDir = env.freshDir("rooms-memory-troupe");
    Path peerDir = env.freshDir("rooms-memory-socketio");
    try (TroupeNodeProcess node = systems.contains("troupe") ? RoomsNode.start(env, nodeDir) : null;
        SocketIoPeer peer = systems.contains("socketio") ? SocketIoPeer.start(env.serverCpus, socketIoPeer, nodeBin, peerDir) : null) {
      if (node != null) {
        common.put("node", node.describe);
        common.put("nodeGc", node.process.gcName());
        common.put("nodeOpenFiles", RoomsNode.openFiles(node.process.pid()));
        RoomsNode.createRooms(node.httpPort, roomNames, connections + 100);
        warmPass(RoomWire.of("troupe"), node.httpPort, roomNames);
      }
      if (peer != null) {
        common.put("socketioPeer", peer.describe);
        common.put("socketioOpenFiles", RoomsNode.openFiles(peer.process.pid()));
        warmPass(RoomWire.of("socketio"), peer.port, roomNames);
      }
      for (int round = 1; round <= rounds; round++) {
        Map<String, Object> result = new LinkedHashMap<>(common);
        result.put("round", round);
        if (node != null) {
          Map<String, Object> m = new LinkedHashMap<>();
          Map<String, Double> before = troupeMemory(node.process);
          m.put("before", before);
          List<ServerProcess> holders = hold("troupe", node.httpPort, m);
          Thread.sleep(settle * 1000L);
          Map<String, Double> after = troupeMemory(node.process);
          m.put("after", after);
          holders.forEach(ServerProcess::close);
          m.put("heapKbPerConnection", perConnectionKb(before, after, "heapUsedMb"));
          m.put("histogramKbPerConnection", perConnectionKb(before, after, "histogramMb"));
          m.put("rssKbPerConnection", perConnectionKb(before, after, "rssMb"));
          System.out.printf("rooms-memory round %d, Troupe: %.1f KB live heap (class histogram %.1f KB), %.1f KB RSS per connection (target heap <= %.0f KB)%n",
              round, m.get("heapKbPerConnection"), m.get("histogramKbPerConnection"), m.get("rssKbPerConnection"), TARGET_KB);
          result.put("troupe", m);
        }
        if (peer != null) {
          Map<String, Object> m = new LinkedHashMap<>();
          Map<String, Double> before = socketIoMemory(peer);
          m.put("before", before);
          List<ServerProcess> holders = hold("socketio", peer.port, m);
          Thread.sleep(settle * 1000L);
          Map<String, Double> after = socketIoMemory(peer);
          m.put("after", after);
          holders.forEach(ServerProcess::close);
          m.put("heapKbPerConnection", perConnectionKb(before, after, "heapUsedMb"));
          m.put("externalKbPerConnection", perConnectionKb(before, after, "externalMb"));
          m.put("rssKbPerConnection", perConnectionKb(before, after, "rssMb"));
          System.out.printf("rooms-memory round %d, Socket.IO: %.1f KB V8 heap (+%.1f KB external), %.1f KB RSS per connection%n",
              round, m.get("heapKbPerConnection"), m.get("externalKbPerConnection"), m.get("rssKbPerConnection"));
          result.put("socketio", m);
        }
        env.record(result);
        // Let the servers drop the closed connections before the next baseline.
        Thread.sleep(3000);
      }
    } finally {
      env.removeData(nodeDir);
      env.removeData(peerDir);
    }
    return 0;
  }

  /** Opens and closes 2 connections per room in this process: loads the code paths once. */
  private void warmPass(RoomWire wire, int port, List<String> roomNames) throws Exception {
    try (RoomLoad load = new RoomLoad(wire, "127.0.0.1", port, roomNames, 2, 900_000)) {
      load.open(32, Duration.ofSeconds(120));
      load.step("signal", 50, 0, 2, 100);
      load.closeAll(Duration.ofSeconds(30));
    }
    Thread.sleep(2000);
  }

  /** Starts the helper processes and waits until every one holds its share. */
  private List<ServerProcess> hold(String system, int port, Map<String, Object> m) throws Exception {
    int share = connections / processes;
    List<ServerProcess> holders = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < processes; i++) {
        String java = String.join(" ", env.jvm("-Xmx1g", "-XX:+UseSerialGC").stream().map(RoomsMemoryCommand::quote).toList());
        String shell = "ulimit -n " + SocketIoPeer.OPEN_FILES + " && exec " + java + " -cp " + quote(env.classpath)
            + " dev.troupe.bench.load.BenchMain rooms-hold --system " + system + " --port " + port + " --rooms " + rooms
            + " --room-prefix " + PREFIX + " --connections " + share + " --first-user " + (i * share);
        Path log = env.workDir.toAbsolutePath().resolve("rooms-hold-" + system + "-" + i + ".log");
        holders.add(ServerProcess.start("rooms-hold " + system + " " + i, env.clientCpus, List.of("bash", "-c", shell), log));
      }
      List<Double> seconds = new ArrayList<>();
      for (ServerProcess h : holders) {
        h.awaitLog("HELD ", Duration.ofSeconds(360));
        Matcher held = Pattern.compile("HELD (\\d+) ([0-9.]+)").matcher(h.tail(50));
        if (held.find()) {
          seconds.add(Double.parseDouble(held.group(2)));
        }
      }
      double took = (System.nanoTime() - t0) / 1e9;
      m.put("connectSeconds", PersistCommand.round(took));
      System.out.printf("  %s: %d connections held by %d processes, joined in %.1f s%n", system, connections, processes, took);
      return holders;
    } catch (Exception e) {
      for (ServerProcess h : holders) {
        System.out.println("  " + h.log() + ":\n" + h.tail(5));
        h.close();
      }
      throw e;
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static Map<String, Double> troupeMemory(ServerProcess node) throws Exception {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("heapUsedMb", PersistCommand.round(node.heapUsedAfterGcMb()));
    m.put("histogramMb", PersistCommand.round(histogramTotalMb(node)));
    m.put("rssMb", PersistCommand.round(node.procStatusMb("VmRSS")));
    return m;
  }

  /** The bytes total of {@code jcmd GC.class_histogram} (live objects: it collects first). */
  private static double histogramTotalMb(ServerProcess node) throws Exception {
    String out = node.jcmd("GC.class_histogram");
    Matcher total = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)").matcher(out);
    return total.find() ? Long.parseLong(total.group(2)) / (1024.0 * 1024.0) : Double.NaN;
  }

  private static Map<String, Double> socketIoMemory(SocketIoPeer peer) throws Exception {
    Map<String, Double> raw = peer.memoryMb();
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("heapUsedMb", PersistCommand.round(raw.get("heapUsed")));
    m.put("externalMb", PersistCommand.round(raw.get("external")));
    m.put("rssMb", PersistCommand.round(peer.process.procStatusMb("VmRSS")));
    m.put("sockets", raw.get("sockets"));
    return m;
  }

  private double perConnectionKb(Map<String, Double> before, Map<String, Double> after, String field) {
    return PersistCommand.round((after.get(field) - before.get(field)) * 1024 / connections);
  }
}
