package dev.troupe.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The connections of one system ({@code rooms x perRoom}, connection {@code i} in room {@code i %
 * rooms}, user {@code u<i>}) and the open-loop load on them: sends at a fixed rate from connection
 * after connection (so consecutive messages go to different rooms and no connection sends often),
 * and times every delivery to another connection of the room, sender to receiver.
 */
final class RoomLoad implements AutoCloseable {

  /** Text of every message body (plus the send time and sender: about 80 bytes of JSON). */
  static final String TEXT = "the quick brown fox jumps over the lazy dog";

  /** One measured step at one send rate. */
  record Step(
      String kind,
      double rate,
      double seconds,
      double sentPerSec,
      double deliveredPerSec,
      double completeness,
      double p50Ms,
      double p99Ms,
      double p999Ms,
      double maxMs,
      long closed,
      long errors,
      double serverCpuSeconds,
      double clientCpuSeconds,
      double otherCpuSeconds,
      String verdict) {

    boolean ok() {
      return verdict.equals("ok");
    }

    String summary() {
      return String.format(
          "%s %.0f/s: sent %.0f/s, delivered %.0f/s (%.1f%%), p50 %.1f ms p99 %.1f ms max %.0f ms, closed %d, errors %d, server CPU %.1f s, client CPU %.1f s, other %.1f s -> %s",
          kind, rate, sentPerSec, deliveredPerSec, completeness * 100, p50Ms, p99Ms, maxMs, closed, errors, serverCpuSeconds,
          clientCpuSeconds, otherCpuSeconds, verdict);
    }
  }

  final RoomWire wire;
  final String host;
  final int port;
  final int rooms;
  final int perRoom;
  private final WsClient client;
  private final List<RoomSocket> sockets = new ArrayList<>();
  private final AtomicIntegerArray liveInRoom;
  private final LongAdder delivered = new LongAdder();
  /** Every delivery, measured or not (recover() waits until it stops growing). */
  private final LongAdder received = new LongAdder();
  private final LongAdder posted = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final Recorder latency = new Recorder(3);
  private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closeReasons = new ConcurrentHashMap<>();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private volatile Semaphore connecting = new Semaphore(0);
  private int cursor;
  /** Send times (us, {@link RoomSocket#nowMicros}) of the messages the current step measures. */
  private volatile long windowFrom;
  private volatile long windowTo;

  /**
   * @param roomNames names of the rooms, {@code rooms} of them
   * @param firstUser index of the first connection's user (several client processes use disjoint
   *     ranges)
   */
  RoomLoad(RoomWire wire, String host, int port, List<String> roomNames, int perRoom, int firstUser) throws Exception {
    this.wire = wire;
    this.host = host;
    this.port = port;
    this.rooms = roomNames.size();
    this.perRoom = perRoom;
    this.client = new WsClient("ws-" + wire.system());
    this.liveInRoom = new AtomicIntegerArray(rooms);
    for (int i = 0; i < rooms * perRoom; i++) {
      sockets.add(new RoomSocket(firstUser + i, i % rooms, roomNames.get(i % rooms), this));
    }
  }

  static List<String> roomNames(String prefix, int rooms) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < rooms; i++) {
      names.add(prefix + i);
    }
    return names;
  }

  int size() {
    return sockets.size();
  }

  int live() {
    return (int) sockets.stream().filter(RoomSocket::live).count();
  }

  /**
   * Connects and joins every connection that is not live, {@code parallel} handshakes at a time;
   * fails unless all are joined within {@code timeout}. Returns the seconds it took.
   */
  double open(int parallel, Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    Semaphore permits = new Semaphore(parallel);
    connecting = permits;
    // Up to 3 passes: a handshake refused under a burst of connects is tried again.
    for (int pass = 0; pass < 3 && live() < sockets.size() && System.nanoTime() < deadline; pass++) {
      for (RoomSocket socket : sockets) {
        if (socket.live() || !socket.closed()) {
          continue;
        }
        if (!permits.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          break;
        }
        socket.connect(client, host, port);
      }
      // until every connection is joined or has ended
      while (sockets.stream().anyMatch(s -> !s.live() && !s.closed()) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    int live = live();
    if (live < sockets.size()) {
      throw new IllegalStateException(String.format("%s: %d of %d connections joined within %s; closes %s; first error %s",
          wire.system(), live, sockets.size(), timeout, closeReasons(), firstError.get()));
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Closes every connection (close frames), waits up to {@code timeout} for them to end. */
  void closeAll(Duration timeout) throws InterruptedException {
    sockets.forEach(RoomSocket::close);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sockets.stream().anyMatch(s -> !s.closed()) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  /**
   * Sends {@code kind} ("signal" or "post") at {@code rate} per second for {@code settleSeconds}
   * unmeasured, then {@code measureSeconds} measured; a step fails when p99 exceeds {@code
   * p99LimitMs}, under 99% of the expected deliveries arrive, or a connection is closed or
   * answered an error meanwhile.
   */
  Step step(String kind, double rate, double settleSeconds, double measureSeconds, double p99LimitMs, long... serverPids) {
    long closedBefore = closed.sum();
    long errorsBefore = errors.sum();
    CpuMeter cpu = CpuMeter.of(serverPids);
    long start = System.nanoTime();
    long measureStart = start + (long) (settleSeconds * 1e9);
    long measureEnd = measureStart + (long) (measureSeconds * 1e9);
    // Messages sent in the window are followed until they arrive, for a grace period a bit longer
    // than the p99 limit (sending on meanwhile, uncounted, so the load stays the same); one still
    // missing then counts as lost.
    long end = measureEnd + (long) (Math.min(p99LimitMs * 1.2 + 200, 5000) * 1e6);
    long startMicros = RoomSocket.nowMicros();
    windowFrom = startMicros + (long) (settleSeconds * 1e6);
    windowTo = windowFrom + (long) (measureSeconds * 1e6);
    long deliveredBefore = delivered.sum();
    latency.reset();
    long sent = 0;
    long sentMeasured = 0;
    long expected = 0;
    boolean measuring = false;
    boolean measured = false;
    while (true) {
      long now = System.nanoTime();
      if (!measuring && now >= measureStart) {
        measuring = true;
        cpu.start();
      }
      if (measuring && !measured && now >= measureEnd) {
        measured = true;
        cpu.stop();
      }
      if (now >= end) {
        break;
      }
      long due = (long) ((now - start) / 1e9 * rate);
      while (sent < due) {
        RoomSocket sender = nextSender();
        if (sender == null) {
          break;
        }
        long ts = RoomSocket.nowMicros();
        String body = RoomSocket.body(sender.index, ts, TEXT);
        if (kind.equals("post")) {
          wire.post(sender, sender.room, body);
        } else {
          wire.signal(sender, sender.room, body);
        }
        sent++;
        if (ts >= windowFrom && ts < windowTo) {
          sentMeasured++;
          expected += Math.max(0, liveInRoom.get(sender.roomIndex) - 1);
        }
      }
      LockSupport.parkNanos(200_000);
    }
    windowTo = windowFrom; // nothing more counts
    long deliveredInWindow = delivered.sum() - deliveredBefore;
    Histogram h = latency.getIntervalHistogram();
    double seconds = measureSeconds;
    long closedNow = closed.sum() - closedBefore;
    long errorsNow = errors.sum() - errorsBefore;
    double completeness = expected == 0 ? 0 : (double) deliveredInWindow / expected;
    double p99 = h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0;
    String verdict;
    if (h.getTotalCount() == 0) {
      verdict = "nothing delivered";
    } else if (p99 > p99LimitMs) {
      verdict = String.format("p99 %.0f ms > %.0f ms", p99, p99LimitMs);
    } else if (completeness < 0.99) {
      verdict = String.format("%.1f%% of expected deliveries", completeness * 100);
    } else if (closedNow > 0) {
      verdict = closedNow + " connections closed (" + closeReasons() + ")";
    } else if (errorsNow > 0) {
      verdict = errorsNow + " error frames (" + errorCodes() + ")";
    } else {
      verdict = "ok";
    }
    return new Step(kind, rate, seconds, sentMeasured / seconds, deliveredInWindow / seconds, PersistCommand.round(completeness),
        h.getValueAtPercentile(50) / 1000.0, p99, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
        closedNow, errorsNow, cpu.seconds(), cpu.selfSeconds(), cpu.otherSeconds(), verdict);
  }

  private RoomSocket nextSender() {
    for (int tries = 0; tries < sockets.size(); tries++) {
      RoomSocket s = sockets.get(cursor);
      cursor = (cursor + 1) % sockets.size();
      if (s.live()) {
        return s;
      }
    }
    return null;
  }

  /**
   * Rising rate: steps from {@code startRate}, times {@code factor} each, until one fails (twice
   * in a row: a failed step is repeated once); then
   * {@code refine} steps between the last good and the failing rate (geometric middle). After a
   * failed step the load waits until deliveries stop and reconnects what was closed. Returns the
   * steps and the best (last passing) one.
   */
  Map<String, Object> ramp(
      String kind, double startRate, double factor, int maxSteps, int refine, double settleSeconds, double measureSeconds,
      double p99LimitMs, long... serverPids) throws Exception {
    List<Step> steps = new ArrayList<>();
    Step best = null;
    double failed = Double.NaN;
    double rate = startRate;
    for (int i = 0; i < maxSteps; i++) {
      Step s = step(kind, rate, settleSeconds, measureSeconds, p99LimitMs, serverPids);
      steps.add(s);
      System.out.printf("    %s %s%n", wire.system(), s.summary());
      if (!s.ok() && best != null) {
        // One pause (a GC, another process) can fail a step near the limit: a rate fails when
        // it fails twice in a row.
        recover();
        s = step(kind, rate, settleSeconds, measureSeconds, p99LimitMs, serverPids);
        steps.add(s);
        System.out.printf("    %s %s (again)%n", wire.system(), s.summary());
      }
      if (s.ok()) {
        best = s;
        rate *= factor;
        continue;
      }
      recover();
      if (best == null && i < 2) {
        rate /= factor * factor; // the start was too high already: further down
        continue;
      }
      failed = rate;
      break;
    }
    for (int i = 0; i < refine && best != null && !Double.isNaN(failed); i++) {
      double mid = Math.sqrt(best.rate() * failed);
      Step s = step(kind, mid, settleSeconds, measureSeconds, p99LimitMs, serverPids);
      steps.add(s);
      System.out.printf("    %s %s (refine)%n", wire.system(), s.summary());
      if (s.ok()) {
        best = s;
      } else {
        failed = mid;
        recover();
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("kind", kind);
    result.put("deliveredPerSec", best == null ? 0.0 : PersistCommand.round(best.deliveredPerSec()));
    result.put("rate", best == null ? 0.0 : PersistCommand.round(best.rate()));
    result.put("best", best);
    result.put("firstFailedRate", Double.isNaN(failed) ? null : PersistCommand.round(failed));
    result.put("steps", steps);
    return result;
  }

  /**
   * After an overload: waits until deliveries stopped for a second (at most 60 s), then reconnects
   * and re-joins whatever was closed.
   */
  void recover() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = received.sum();
      if (now == last) {
        break;
      }
      last = now;
      Thread.sleep(1000);
    }
    if (live() < sockets.size()) {
      System.out.printf("    %s: reconnecting %d closed connections (%s)%n", wire.system(), sockets.size() - live(), closeReasons());
      open(64, Duration.ofSeconds(120));
    }
  }

  Map<String, Long> closeReasons() {
    Map<String, Long> out = new LinkedHashMap<>();
    closeReasons.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  Map<String, Long> errorCodes() {
    Map<String, Long> out = new LinkedHashMap<>();
    errorCodes.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  String firstError() {
    return firstError.get();
  }

  long posts() {
    return posted.sum();
  }

  // --- from the sockets, on the client's selector thread -----------------------------------------

  void onJoined(RoomSocket socket) {
    liveInRoom.incrementAndGet(socket.roomIndex);
    connecting.release();
  }

  /** A delivery of a message sent at {@code sentMicros}; counted when sent in the step's window. */
  void onDelivered(long sentMicros, long nowMicros) {
    received.increment();
    if (sentMicros >= windowFrom && sentMicros < windowTo) {
      delivered.increment();
      latency.recordValue(Math.max(0, nowMicros - sentMicros));
    }
  }

  void onPosted() {
    posted.increment();
  }

  void onError(RoomSocket socket, String code, String text) {
    errors.increment();
    errorCodes.computeIfAbsent(code, k -> new LongAdder()).increment();
    firstError.compareAndSet(null, "u" + socket.index + ": " + (text.length() > 300 ? text.substring(0, 300) : text));
  }

  void onClosed(RoomSocket socket, boolean wasJoined, String reason) {
    if (wasJoined) {
      liveInRoom.decrementAndGet(socket.roomIndex);
      closed.increment();
    } else {
      connecting.release();
    }
    String key = reason.length() > 80 ? reason.substring(0, 80) : reason;
    closeReasons.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  @Override
  public void close() {
    client.close();
  }
}
