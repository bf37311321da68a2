package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A single node on the embedded H2 journal gets SIGTERM in the middle of a burst of deposits: it
 * stops taking connections, finishes what it accepted, exits through coordinated shutdown, and a
 * node restarted on the same data dir has every deposit that was acknowledged with 200.
 */
class DrainOnSigtermIT {

  private static final int LEDGERS = 10;
  private static final int DEPOSITS = 200;
  private static final int CONCURRENCY = 20;
  private static final int SIGTERM_AFTER_ACKS = 50;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  /**
   * A request still running at SIGTERM that takes longer than coordinated shutdown's default
   * phase timeout (5 s) but less than the node's drain deadline (10 s): it must still be answered.
   */
  private static final int SLOW_MILLIS = 7000;

  /** What one deposit got: an HTTP status, or the exception that ended it. */
  private record Outcome(int index, String ledger, Instant sentAt, Integer status, Throwable error) {
    boolean acknowledged() {
      return status != null && status == 200;
    }

    String kind() {
      if (status != null) {
        return "HTTP " + status;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      return cause.getClass().getSimpleName();
    }
  }

  /** What a brand-new connection to the HTTP port got, and when (after SIGTERM). */
  private record Probe(long afterMillis, String result) {}

  private final List<NodeProcess> started = new ArrayList<>();

  @AfterEach
  void stopNodes() {
    started.forEach(NodeProcess::close);
  }

  @Test
  void sigtermDrainsInFlightDepositsAndLosesNoAcknowledgedOne() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path dataDir = NodeProcess.targetDir().resolve("drain-" + run).resolve("data");
    NodeProcess.Spec spec =
        NodeProcess.Spec.of(
            "drain", List.of("--data-dir", dataDir.toString(), "--extension", SlowExtension.class.getName()));
    NodeProcess node = startReady(spec);
    List<String> ledgers = new ArrayList<>();
    for (int k = 0; k < LEDGERS; k++) {
      ledgers.add("drain-" + run + "-" + k);
    }

    TestHttp http = new TestHttp().asAdmin(node);
    Instant slowSentAt = Instant.now();
    CompletableFuture<TestHttp.Response> slow =
        http.getAsync(node.uri("/test/slow?millis=" + SLOW_MILLIS), Duration.ofSeconds(30));
    AtomicReference<Instant> slowAnsweredAt = new AtomicReference<>();
    slow.whenComplete((reply, error) -> slowAnsweredAt.set(Instant.now()));
    await("the slow request reached the node")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> http.get(node.uri("/test/slow/in-flight"), REQUEST_TIMEOUT).body().equals("1"));
    AtomicReference<Boolean> slowRunningAtSigterm = new AtomicReference<>();

    Semaphore inFlight = new Semaphore(CONCURRENCY);
    AtomicInteger acks = new AtomicInteger();
    AtomicReference<Instant> sigtermAt = new AtomicReference<>();
    AtomicInteger inFlightAtSigterm = new AtomicInteger(-1);
    ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
    CompletableFuture<Void> probing = new CompletableFuture<>();
    Outcome[] outcomes = new Outcome[DEPOSITS];
    List<CompletableFuture<Void>> requests = new ArrayList<>();

    for (int i = 0; i < DEPOSITS; i++) {
      assertThat(inFlight.tryAcquire(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
          .as("a request slot frees up (no request hangs)")
          .isTrue();
      int index = i;
      String ledger = ledgers.get(i % LEDGERS);
      Instant sentAt = Instant.now();
      requests.add(
          http.postAsync(node.uri("/ledgers/" + ledger + "/deposits"), Map.of("amount", 1), REQUEST_TIMEOUT)
              .handle(
                  (response, error) -> {
                    outcomes[index] =
                        new Outcome(index, ledger, sentAt, response == null ? null : response.status(), error);
                    if (response != null && response.status() == 200 && acks.incrementAndGet() == SIGTERM_AFTER_ACKS) {
                      inFlightAtSigterm.set(CONCURRENCY - inFlight.availablePermits() - 1);
                      slowRunningAtSigterm.set(!slow.isDone());
                      sigtermAt.set(node.sigterm());
                      CompletableFuture.runAsync(() -> probeNewConnections(node.ports().http(), sigtermAt.get(), probes))
                          .whenComplete((ok, e) -> complete(probing, e));
                    }
                    inFlight.release();
                    return null;
                  }));
    }
    CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(sigtermAt.get()).as("SIGTERM was sent after %d acknowledgements", SIGTERM_AFTER_ACKS).isNotNull();

    int exitCode = node.awaitExit(EXIT_TIMEOUT);
    long exitMillis = Duration.between(sigtermAt.get(), Instant.now()).toMillis();
    probing.get(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    // The slow request was running at SIGTERM and was answered within the drain deadline.
    assertThat(slowRunningAtSigterm.get()).as("the slow request was still running at SIGTERM").isTrue();
    TestHttp.Response slowReply;
    try {
      slowReply = slow.get(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(
          "the request running at SIGTERM got no answer after "
              + Duration.between(slowSentAt, slowAnsweredAt.get()).toMillis() + " ms: " + e.getCause(),
          e);
    }
    long slowMillis = Duration.between(slowSentAt, slowAnsweredAt.get()).toMillis();
    assertThat(slowReply.status()).as(slowReply.body()).isEqualTo(200);

    // The JVM exits from its SIGTERM handler after the shutdown hooks ran coordinated shutdown.
    assertThat(exitCode).as(node.logTail()).isEqualTo(NodeProcess.SIGTERM_EXIT_CODE);
    assertThat(node.log()).contains("Running CoordinatedShutdown with reason [JvmExitReason]");

    // Nothing hung: each deposit got an answer or a quick connection error, never a timeout.
    assertThat(outcomes).doesNotContainNull();
    assertThat(outcomes)
        .as("no deposit timed out")
        .noneMatch(o -> o.error() != null && rootCause(o.error()) instanceof HttpTimeoutException);
    assertThat(outcomes)
        .as("answers are 200 or 503")
        .allMatch(o -> o.status() == null || o.status() == 200 || o.status() == 503);

    // New connections after SIGTERM: refused (or answered), never left hanging.
    List<Probe> probeList = List.copyOf(probes);
    assertThat(probeList).isNotEmpty();
    assertThat(probeList).as("probes " + probeList).noneMatch(p -> p.result().equals("hung"));
    assertThat(probeList.get(probeList.size() - 1).result()).isEqualTo("refused");
    assertThat(probeList)
        .as("probes " + probeList)
        .allMatch(p -> List.of("refused", "closed", "HTTP 503", "HTTP 200").contains(p.result()));

    // Restart on the same data dir: every acknowledged deposit is there.
    NodeProcess again = startReady(spec.withPorts(NodeProcess.Ports.free()));
    Map<String, Long> acknowledged = new TreeMap<>();
    for (String ledger : ledgers) {
      acknowledged.put(ledger, 0L);
    }
    for (Outcome o : outcomes) {
      if (o.acknowledged()) {
        acknowledged.merge(o.ledger(), 1L, Long::sum);
      }
    }
    Map<String, Long> entries = new TreeMap<>();
    for (String ledger : ledgers) {
      TestHttp.Response state = http.get(again.uri("/ledgers/" + ledger), REQUEST_TIMEOUT);
      assertThat(state.status()).as(state.body()).isEqualTo(200);
      entries.put(ledger, state.json().path("entries").asLong());
      assertThat(state.json().path("balance").asLong()).isEqualTo(state.json().path("entries").asLong());
    }

    long totalAcked = acknowledged.values().stream().mapToLong(Long::longValue).sum();
    long totalEntries = entries.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> kinds =
        java.util.Arrays.stream(outcomes).collect(Collectors.groupingBy(Outcome::kind, TreeMap::new, Collectors.counting()));
    long sentBeforeSigterm =
        java.util.Arrays.stream(outcomes).filter(o -> o.sentAt().isBefore(sigtermAt.get())).count();
    long ackedOfSentBefore =
        java.util.Arrays.stream(outcomes)
            .filter(o -> o.sentAt().isBefore(sigtermAt.get()) && o.acknowledged())
            .count();
    String report =
        String.format(
            "%s drain: %d deposits over %d ledgers, %d concurrent, SIGTERM after %d acks with %d in flight;"
                + " outcomes %s; sent before SIGTERM %d, of which acknowledged %d; exit code %d after %d ms;"
                + " slow request (%d ms, running at SIGTERM) answered %d after ~%d ms;"
                + " new-connection probes %s; after restart entries %d vs acknowledged %d (per ledger entries %s,"
                + " acknowledged %s)",
            Instant.now(), DEPOSITS, LEDGERS, CONCURRENCY, SIGTERM_AFTER_ACKS, inFlightAtSigterm.get(), kinds,
            sentBeforeSigterm, ackedOfSentBefore, exitCode, exitMillis, SLOW_MILLIS, slowReply.status(), slowMillis,
            summarize(probeList), totalEntries, totalAcked,
            entries.values(), acknowledged.values());
    System.out.println("DRAIN " + report);
    Files.writeString(
        NodeProcess.targetDir().resolve("drain-results.txt"),
        report + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);

    assertThat(exitMillis).isLessThan(EXIT_TIMEOUT.toMillis());
    for (String ledger : ledgers) {
      assertThat(entries.get(ledger))
          .as("ledger %s keeps every acknowledged deposit", ledger)
          .isGreaterThanOrEqualTo(acknowledged.get(ledger));
    }
    assertThat(totalAcked).isGreaterThanOrEqualTo(SIGTERM_AFTER_ACKS);
  }

  private NodeProcess startReady(NodeProcess.Spec spec) {
    NodeProcess node = NodeProcess.start(spec);
    started.add(node);
    return node.awaitReady(Duration.ofSeconds(90));
  }

  /**
   * Opens a brand-new connection every 50 ms after SIGTERM until one is refused, recording what
   * each got. A probe that neither connects-and-answers nor fails within 5 s counts as "hung".
   */
  private static void probeNewConnections(int port, Instant sigtermAt, ConcurrentLinkedQueue<Probe> probes) {
    await("new connections refused after SIGTERM")
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              String result = probe(port);
              probes.add(new Probe(Duration.between(sigtermAt, Instant.now()).toMillis(), result));
              return result.equals("refused") || result.equals("hung");
            });
  }

  private static String probe(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
      socket.setSoTimeout(5000);
      socket
          .getOutputStream()
          .write(
              "GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String statusLine =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      if (statusLine == null) {
        return "closed";
      }
      String[] parts = statusLine.split(" ");
      return parts.length > 1 ? "HTTP " + parts[1] : "garbled: " + statusLine;
    } catch (ConnectException e) {
      return "refused";
    } catch (SocketTimeoutException e) {
      return "hung";
    } catch (IOException e) {
      return "closed";
    }
  }

  private static String summarize(List<Probe> probes) {
    // Runs of the same result: "HTTP 200 x3 (0-120 ms), refused x1 (180 ms)".
    List<String> runs = new ArrayList<>();
    int i = 0;
    while (i < probes.size()) {
      int j = i;
      while (j + 1 < probes.size() && probes.get(j + 1).result().equals(probes.get(i).result())) {
        j++;
      }
      runs.add(
          probes.get(i).result() + " x" + (j - i + 1) + " (" + probes.get(i).afterMillis()
              + (j > i ? "-" + probes.get(j).afterMillis() : "") + " ms)");
      i = j + 1;
    }
    return String.join(", ", runs);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static void complete(CompletableFuture<Void> future, Throwable error) {
    if (error == null) {
      future.complete(null);
    } else {
      future.completeExceptionally(error);
    }
  }
}
