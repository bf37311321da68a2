package dev.troupe.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Rooms fan-out side by side with Socket.IO, one load generator, one run: a Troupe node (H2,
 * {@link RoomsNode}) and {@code bench/socketio-peer} both run on the server cores; this process
 * holds {@code rooms x per-room} WebSocket connections to each ({@link WsClient}, one selector
 * thread per system) on the client cores and drives one system at a time (the other is idle, not
 * frozen: a frozen server would miss its keep-alive pings and drop the idle connections).
 *
 * <p>Scenarios: {@code fanout} (100 rooms x 50 connections, p99 limit 100 ms) and {@code broadcast}
 * (1 room x 2,000 connections, p99 limit 1 s). For each system the send rate rises step by step
 * ({@link RoomLoad#ramp}) until a step breaks the p99 limit (or loses deliveries, or a connection
 * is cut); the figure is the delivered messages/s of the last passing step. Troupe is measured with
 * ephemeral signals and with persisted posts (journal H2), Socket.IO with its ephemeral broadcast;
 * ratios: Troupe signals / Socket.IO (target >= 1.0), Troupe posts / Socket.IO (reported).
 */
@Command(name = "rooms", mixinStandardHelpOptions = true, description = "Rooms: Troupe signals and posts vs Socket.IO rooms, rising rate until the p99 limit, same load generator.")
final class RoomsCommand implements Callable<Integer> {

  static final double TARGET = 1.0;

  @Mixin BenchEnv env = new BenchEnv();

  @Option(names = "--scenario", required = true, description = "fanout (100 rooms x 50, p99 <= 100 ms) or broadcast (1 room x 2000, p99 <= 1 s)")
  String scenario;

  @Option(names = "--socketio-peer", required = true, description = "folder of the Socket.IO server (bench/socketio-peer, npm install done)")
  Path socketIoPeer;

  @Option(names = "--node-bin", defaultValue = "node", description = "the Node.js executable")
  String nodeBin;

  @Option(names = "--rooms", description = "rooms (default by scenario: 100 / 1)")
  Integer rooms;

  @Option(names = "--per-room", description = "connections per room (default by scenario: 50 / 2000)")
  Integer perRoom;

  @Option(names = "--p99-limit-ms", description = "a step passes while its end-to-end p99 is at most this (default by scenario: 100 / 1000)")
  Double p99LimitMs;

  @Option(names = "--start-rate", description = "messages/s sent in the first step of round 1 (default by scenario: 100 / 2)")
  Double startRate;

  @Option(names = "--factor", defaultValue = "1.5", description = "rate multiplier from step to step")
  double factor;

  @Option(names = "--max-steps", defaultValue = "16", description = "most rising steps per ramp")
  int maxSteps;

  @Option(names = "--refine", defaultValue = "2", description = "steps between the last passing and the first failing rate")
  int refine;

  @Option(names = "--settle", defaultValue = "1", description = "unmeasured seconds at each step's rate before its window")
  double settle;

  @Option(names = "--seconds", defaultValue = "3", description = "measured seconds per step")
  double seconds;

  @Option(names = "--warmup", defaultValue = "45", description = "longest warm-up per system, seconds (3 s chunks until the JIT settles)")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3", description = "measured rounds (the order of the systems alternates)")
  int rounds;

  @Option(names = "--systems", defaultValue = "troupe,socketio", split = ",", description = "for diagnosis: only these of troupe, socketio")
  List<String> systems;

  @Option(names = "--kinds", defaultValue = "signal,post", split = ",", description = "for diagnosis: Troupe's kinds, of signal, post")
  List<String> kinds;

  static final double WARMUP_CHUNK = 3;

  /** A system under load: its connections, the processes that serve it, what it is measured with. */
  record Target(String system, RoomLoad load, List<ServerProcess> processes, List<String> kinds) {
    long[] pids() {
      return processes.stream().mapToLong(ServerProcess::pid).toArray();
    }

    double jitSeconds() {
      return processes.stream().mapToDouble(ServerProcess::jitSeconds).sum();
    }
  }

  @Override
  public Integer call() throws Exception {
    boolean fanout = switch (scenario) {
      case "fanout" -> true;
      case "broadcast" -> false;
      default -> throw new IllegalArgumentException("--scenario: fanout or broadcast, not " + scenario);
    };
    int roomCount = rooms != null ? rooms : fanout ? 100 : 1;
    int connections = perRoom != null ? perRoom : fanout ? 50 : 2000;
    double limit = p99LimitMs != null ? p99LimitMs : fanout ? 100 : 1000;
    double start = startRate != null ? startRate : fanout ? 100 : 2;
    List<String> roomNames = RoomLoad.roomNames(fanout ? "fan-" : "bc-", roomCount);

    Map<String, Object> common = new LinkedHashMap<>();
    common.put("bench", "rooms");
    common.put("scenario", scenario);
    common.put("rooms", roomCount);
    common.put("perRoom", connections);
    common.put("p99LimitMs", limit);
    common.put("startRate", start);
    common.put("factor", factor);
    common.put("settleSeconds", settle);
    common.put("seconds", seconds);
    common.put("bodyBytes", RoomSocket.body(0, RoomSocket.nowMicros(), RoomLoad.TEXT).length());
    common.put("serverCpus", env.serverCpus);
    common.put("clientCpus", BenchEnv.ownAffinity());
    common.put("warmupCpus", env.warmupCpus());
    common.put("journal", "h2");
    common.put("nodeProperties", RoomsNode.PROPERTIES);

    Path nodeDir = env.freshDir("rooms-" + scenario + "-troupe");
    Path peerDir = env.freshDir("rooms-" + scenario + "-socketio");
    List<Target> targets = new ArrayList<>();
    try (TroupeNodeProcess node = systems.contains("troupe") ? RoomsNode.start(env, nodeDir) : null;
        SocketIoPeer peer = systems.contains("socketio") ? SocketIoPeer.start(env.serverCpus, socketIoPeer, nodeBin, peerDir) : null) {
      if (node != null) {
        common.put("node", node.describe);
        common.put("nodeGc", node.process.gcName());
        common.put("nodeOpenFiles", RoomsNode.openFiles(node.process.pid()));
        RoomsNode.createRooms(node.httpPort, roomNames, connections + 100);
        RoomLoad load = new RoomLoad(RoomWire.of("troupe"), "127.0.0.1", node.httpPort, roomNames, connections, 0);
        targets.add(new Target("troupe", load, List.of(node.process), kinds));
      }
      if (peer != null) {
        common.put("socketioPeer", peer.describe);
        common.put("socketioOpenFiles", RoomsNode.openFiles(peer.process.pid()));
        RoomLoad load = new RoomLoad(RoomWire.of("socketio"), "127.0.0.1", peer.port, roomNames, connections, 0);
        targets.add(new Target("socketio", load, List.of(peer.process), List.of("signal")));
      }
      for (Target target : targets) {
        System.out.printf("rooms %s: %s: connecting %d connections (%d rooms x %d)...%n", scenario, target.system(),
            target.load().size(), roomCount, connections);
        double took = target.load().open(64, Duration.ofSeconds(300));
        System.out.printf("  all joined in %.1f s%n", took);
        common.put(target.system() + "ConnectSeconds", PersistCommand.round(took));
        double warmRate = start * 4;
        common.put(
            target.system() + "Warmup",
            Warmup.untilJitSettles(
                target.system(),
                () -> {
                  double delivered = 0;
                  for (String kind : target.kinds()) {
                    RoomLoad.Step s = target.load().step(kind, warmRate, 0, WARMUP_CHUNK / target.kinds().size(), limit);
                    delivered += s.deliveredPerSec() / target.kinds().size();
                  }
                  return delivered;
                },
                WARMUP_CHUNK,
                target::jitSeconds,
                3,
                Math.max(3, (int) (warmup / WARMUP_CHUNK)),
                env.warmupCpus(),
                env.serverCpus,
                target.pids()));
        target.load().recover();
      }
      Map<String, Double> lastBest = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        Map<String, Object> result = new LinkedHashMap<>(common);
        result.put("round", round);
        List<Target> order = new ArrayList<>(targets);
        if (round % 2 == 0) {
          java.util.Collections.reverse(order);
        }
        result.put("order", String.join(",", order.stream().map(Target::system).toList()));
        for (Target target : order) {
          Map<String, Object> measured = new LinkedHashMap<>();
          for (String kind : target.kinds()) {
            String key = target.system() + "-" + kind;
            double from = lastBest.containsKey(key) ? Math.max(start, lastBest.get(key) / (factor * factor)) : start;
            System.out.printf("  round %d, %s %s from %.1f msg/s (p99 limit %.0f ms):%n", round, target.system(), kind, from, limit);
            if (round == 1) {
              env.maybeProfile(target.processes().get(0), "rooms-" + scenario + "-" + key, 20);
            }
            double jit0 = target.jitSeconds();
            Map<String, Object> ramp = target.load().ramp(kind, from, factor, maxSteps, refine, settle, seconds, limit, target.pids());
            ramp.put("jitSeconds", PersistCommand.round(target.jitSeconds() - jit0));
            lastBest.put(key, (Double) ramp.get("rate"));
            measured.put(kind, ramp);
            target.load().recover();
          }
          double rss = 0;
          for (ServerProcess p : target.processes()) {
            rss += p.procStatusMb("VmRSS");
          }
          measured.put("rssMb", PersistCommand.round(rss));
          measured.put("closeReasons", target.load().closeReasons());
          measured.put("errorCodes", target.load().errorCodes());
          measured.put("firstError", target.load().firstError());
          result.put(target.system(), measured);
        }
        double sio = delivered(result, "socketio", "signal");
        double ratioSignal = delivered(result, "troupe", "signal") / sio;
        double ratioPost = delivered(result, "troupe", "post") / sio;
        if (!Double.isNaN(ratioSignal) && !Double.isInfinite(ratioSignal)) {
          result.put("ratioSignal", PersistCommand.round(ratioSignal));
        }
        if (!Double.isNaN(ratioPost) && !Double.isInfinite(ratioPost)) {
          result.put("ratioPost", PersistCommand.round(ratioPost));
        }
        System.out.printf("rooms %s round %d: delivered/s Troupe signals %.0f, Troupe posts %.0f, Socket.IO %.0f; ratios %.2f (target >= %.1f), posts %.2f%n",
            scenario, round, delivered(result, "troupe", "signal"), delivered(result, "troupe", "post"), sio, ratioSignal, TARGET, ratioPost);
        env.record(result);
      }
    } finally {
      for (Target t : targets) {
        t.load().close();
      }
      env.removeData(nodeDir);
      env.removeData(peerDir);
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static double delivered(Map<String, Object> result, String system, String kind) {
    Object m = result.get(system);
    if (!(m instanceof Map<?, ?> measured) || !(measured.get(kind) instanceof Map<?, ?> ramp)) {
      return Double.NaN;
    }
    return ((Number) ((Map<String, Object>) ramp).get("deliveredPerSec")).doubleValue();
  }
}
