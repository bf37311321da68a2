package dev.troupe.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code POST /auth/login} against a node: one login for a token, or timed logins from a few
 * concurrent clients (each a keep-alive connection doing one login after the other).
 */
final class LoginLoad {

  private final int port;
  private final byte[] request;

  LoginLoad(int port, String username, String password) {
    this.port = port;
    String body = BenchEnv.JSON.createObjectNode().put("username", username).put("password", password).toString();
    this.request = HttpConnection.request("POST", "127.0.0.1", port, "/auth/login", body);
  }

  /**
   * The access token of one login, retrying for up to {@code timeout} (the first start creates
   * the admin shortly after the node is ready).
   */
  String token(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpConnection.Response last = null;
    while (System.nanoTime() < deadline) {
      try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
        last = connection.exchange(request);
        if (last.status() == 200) {
          JsonNode tokens = BenchEnv.JSON.readTree(last.body());
          return tokens.get("access_token").asText();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("login on port " + port + " failed: " + (last == null ? "no answer" : last.status() + " " + last.text()));
  }

  /**
   * {@code warmup} untimed logins, then {@code count} timed ones, spread over {@code clients}
   * concurrent clients; the node's CPU is measured over the timed ones. Returns per-login median
   * and p90 ms, logins/s, server CPU ms per login, and non-200 answers.
   */
  Map<String, Object> measure(int clients, int warmup, int count, long serverPid) throws Exception {
    run(clients, warmup);
    CpuMeter cpu = CpuMeter.of(serverPid);
    long start = System.nanoTime();
    cpu.start();
    Timed timed = run(clients, count);
    cpu.stop();
    double wallSeconds = (System.nanoTime() - start) / 1e9;
    List<Double> ms = new ArrayList<>(timed.millis());
    Collections.sort(ms);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("clients", clients);
    result.put("logins", ms.size());
    result.put("medianMs", PersistCommand.round(percentile(ms, 0.5)));
    result.put("p90Ms", PersistCommand.round(percentile(ms, 0.9)));
    result.put("maxMs", PersistCommand.round(ms.get(ms.size() - 1)));
    result.put("loginsPerSec", PersistCommand.round(ms.size() / wallSeconds));
    result.put("serverCpuMsPerLogin", PersistCommand.round(cpu.seconds() * 1000 / ms.size()));
    result.put("otherCpuSeconds", cpu.otherSeconds());
    result.put("errors", timed.errors());
    System.out.printf("  logins, %d client(s): median %.1f ms, p90 %.1f ms, %.1f logins/s, node CPU %.1f ms/login, %d errors%n",
        clients, result.get("medianMs"), result.get("p90Ms"), result.get("loginsPerSec"), result.get("serverCpuMsPerLogin"), timed.errors());
    return result;
  }

  /** Every login's milliseconds and how many did not answer 200. */
  private record Timed(List<Double> millis, int errors) {}

  private Timed run(int clients, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Timed>> parts = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int share = count / clients + (c < count % clients ? 1 : 0);
        parts.add(pool.submit(() -> client(share)));
      }
      List<Double> millis = new ArrayList<>();
      int errors = 0;
      for (Future<Timed> part : parts) {
        millis.addAll(part.get().millis());
        errors += part.get().errors();
      }
      return new Timed(millis, errors);
    } finally {
      pool.shutdownNow();
    }
  }

  private Timed client(int count) throws IOException {
    List<Double> millis = new ArrayList<>(count);
    int errors = 0;
    try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        HttpConnection.Response response = connection.exchange(request);
        millis.add((System.nanoTime() - t0) / 1e6);
        if (response.status() != 200) {
          errors++;
        }
      }
    }
    return new Timed(millis, errors);
  }

  /** Nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
