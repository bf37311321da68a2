package dev.troupe.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The cache benchmarks' requests: {@code PUT /cache/{ns}/{key}?ttl=...} with a small
 * {@code application/octet-stream} value (204 expected), {@code GET} (200), and the prefill that
 * stores every key of a key set once before a measurement, so every GET of the mix is a hit.
 */
final class CacheRequests {

  static final String CONTENT_TYPE = "application/octet-stream";

  private CacheRequests() {}

  /** Keys {@code k0 .. k<count-1>}, as the wrk script {@code cache-mix.lua} names them. */
  static String key(int index) {
    return "k" + index;
  }

  static String path(String namespace, String key) {
    return "/cache/" + namespace + "/" + key;
  }

  static byte[] put(int port, String namespace, String key, byte[] value, String ttl) {
    return HttpConnection.request("PUT", "127.0.0.1", port, path(namespace, key) + "?ttl=" + ttl, value, CONTENT_TYPE);
  }

  /** A value of {@code bytes} bytes, the same letters as the wrk script's. */
  static byte[] value(int bytes) {
    byte[] value = new byte[bytes];
    Arrays.fill(value, (byte) 'v');
    return value;
  }

  /** Fails unless a PUT was answered 204. */
  static void expectStored(HttpConnection.Response response, String key) {
    if (response.status() != 204) {
      throw new IllegalStateException("PUT " + key + ": HTTP " + response.status() + " " + response.text());
    }
  }

  /**
   * Stores keys {@code k0 .. k<keys-1>} once on {@code connections} connections; returns the
   * seconds it took. Fails on any answer but 204.
   */
  static double prefill(int port, String namespace, int keys, byte[] value, String ttl, int connections) throws Exception {
    long t0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < connections; c++) {
      int first = c;
      Thread thread =
          new Thread(
              () -> {
                try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
                  for (int k = first; k < keys && failures.isEmpty(); k += connections) {
                    expectStored(connection.exchange(put(port, namespace, key(k), value, ttl)), key(k));
                  }
                } catch (Exception e) {
                  failures.add(e);
                }
              },
              "prefill-" + c);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Fails unless {@code GET} of {@code key} answers 200 with a value of {@code bytes} bytes. */
  static void expectHit(int port, String namespace, String key, int bytes) throws Exception {
    HttpConnection.Response r = HttpConnection.once("127.0.0.1", port, "GET", path(namespace, key), null);
    if (r.status() != 200 || r.body().length != bytes) {
      throw new IllegalStateException(
          "GET " + path(namespace, key) + ": HTTP " + r.status() + ", " + r.body().length + " bytes (expected 200, " + bytes + ")");
    }
  }
}
