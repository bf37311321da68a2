package dev.troupe.platform.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.troupe.platform.NodeProcess;
import dev.troupe.platform.ThreeNodeCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Browser sessions across node processes sharing Cassandra (the shared {@link ThreeNodeCluster};
 * this test uses two of its nodes): a ticket issued on node A and redeemed on node B is refused
 * when presented again on node A; a cookie session logged out on node A has its WebSocket and its
 * SSE streams (room events and audit) on node B closed within 2 s ({@code session_revoked} frame,
 * streams end), and reconnecting on node B is refused (401).
 */
@ExtendWith(ThreeNodeCluster.Extension.class)
class LiveRevocationAcrossNodesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Duration LIVE_CLOSE = Duration.ofSeconds(2);
  /** 2 s plus the time the test's own requests and polling take on a loaded machine. */
  private static final Duration MEASURED_BOUND = Duration.ofMillis(2500);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aTicketRedeemedOnOneNodeIsRefusedOnAnother(ThreeNodeCluster cluster) throws Exception {
    NodeProcess a = cluster.node(1);
    NodeProcess b = cluster.node(2);
    Cookies session = login(a);
    String ticket = session.ticket(a);
    try (Socket socket = Socket.open(b, ticket)) {
      assertThat(socket.isOpen()).isTrue();
      assertThat(get(a, "/ws?ticket=" + ticket, Map.of()).statusCode()).isEqualTo(401);
      assertThat(get(b, "/ws?ticket=" + ticket, Map.of()).statusCode()).isEqualTo(401);
    }
    String second = session.ticket(b);
    assertThat(get(a, "/rooms/none-" + run + "/events?ticket=" + second, Map.of("Accept", "text/event-stream")).statusCode())
        .as("redeemed on A (the room does not exist)")
        .isEqualTo(404);
    assertThat(get(b, "/rooms/none-" + run + "/events?ticket=" + second, Map.of("Accept", "text/event-stream")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void loggingOutOnOneNodeClosesTheSessionsSocketAndStreamsOnAnotherWithinTwoSeconds(ThreeNodeCluster cluster)
      throws Exception {
    NodeProcess a = cluster.node(1);
    NodeProcess b = cluster.node(2);
    Cookies session = login(a);
    Cookies other = login(a);
    String room = "revoke-" + run;
    HttpResponse<String> created = session.send(a, "PUT", "/rooms/" + room, "{}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

    try (Socket socket = Socket.open(b, session.ticket(a));
        Sse roomEvents = Sse.open(client, b, "/rooms/" + room + "/events?ticket=" + session.ticket(a));
        Sse audit = Sse.open(client, b, "/audit/account/" + NodeProcess.ADMIN_USER + "/events?ticket=" + session.ticket(a));
        Sse otherEvents = Sse.open(client, b, "/rooms/" + room + "/events?ticket=" + other.ticket(a))) {
      socket.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}");
      socket.awaitFrame("ack", TIMEOUT);
      assertThat(roomEvents.status()).isEqualTo(200);
      assertThat(audit.status()).isEqualTo(200);
      assertThat(otherEvents.status()).isEqualTo(200);
      roomEvents.awaitEvent("presence", TIMEOUT);

      HttpResponse<String> out = session.send(a, "POST", "/auth/logout", "{}");
      Instant loggedOut = Instant.now();
      assertThat(out.statusCode()).as(out.body()).isEqualTo(204);

      JsonNode error = socket.awaitFrame("error", LIVE_CLOSE);
      assertThat(error.path("code").asText()).isEqualTo("session_revoked");
      socket.awaitClosed(LIVE_CLOSE);
      Duration socketClosed = Duration.between(loggedOut, Instant.now());
      roomEvents.awaitEnd(LIVE_CLOSE);
      audit.awaitEnd(LIVE_CLOSE);
      Duration allClosed = Duration.between(loggedOut, Instant.now());
      System.out.printf(
          "revoked on %s: socket on %s closed after %d ms, SSE streams after %d ms%n",
          a.name(), b.name(), socketClosed.toMillis(), allClosed.toMillis());
      assertThat(allClosed).isLessThan(MEASURED_BOUND);
      assertThat(otherEvents.ended()).as("another session's stream stays open").isFalse();

      assertThat(session.get(b, "/rooms/" + room + "/events", Map.of("Accept", "text/event-stream")).statusCode())
          .isEqualTo(401);
      assertThat(session.send(b, "POST", "/auth/ws-ticket", "{}").statusCode()).isEqualTo(401);
    }
  }

  // ---- helpers ----

  private Cookies login(NodeProcess node) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of("username", NodeProcess.ADMIN_USER, "password", NodeProcess.ADMIN_PASSWORD, "cookie", true));
    HttpResponse<String> login =
        client.send(
            HttpRequest.newBuilder(node.uri("/auth/login"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    Cookies cookies = new Cookies();
    for (String header : login.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      cookies.values.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    assertThat(cookies.values).containsKeys("troupe_session", "troupe_refresh", "troupe_csrf");
    return cookies;
  }

  private HttpResponse<String> get(NodeProcess node, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(node.uri(path)).timeout(TIMEOUT).GET();
    headers.forEach(builder::header);
    return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A browser's cookie jar for one login. */
  private final class Cookies {
    final Map<String, String> values = new LinkedHashMap<>();

    String header() {
      StringBuilder header = new StringBuilder();
      values.forEach((n, v) -> header.append(header.length() == 0 ? "" : "; ").append(n).append('=').append(v));
      return header.toString();
    }

    HttpResponse<String> send(NodeProcess node, String method, String path, String json) throws Exception {
      return client.send(
          HttpRequest.newBuilder(node.uri(path))
              .timeout(TIMEOUT)
              .header("Content-Type", "application/json")
              .header("Cookie", header())
              .header("X-CSRF-Token", values.get("troupe_csrf"))
              .method(method, HttpRequest.BodyPublishers.ofString(json))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(NodeProcess node, String path, Map<String, String> headers) throws Exception {
      Map<String, String> all = new LinkedHashMap<>(headers);
      all.put("Cookie", header());
      return LiveRevocationAcrossNodesIT.this.get(node, path, all);
    }

    String ticket(NodeProcess node) throws Exception {
      HttpResponse<String> response = send(node, "POST", "/auth/ws-ticket", "{}");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return JSON.readTree(response.body()).path("ticket").asText();
    }
  }

  /** {@code GET /ws?ticket=} on a node, reading frames as they come. */
  private static final class Socket implements WebSocket.Listener, AutoCloseable {
    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Socket open(NodeProcess node, String ticket) {
      Socket listener = new Socket();
      listener.socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .subprotocols("troupe.v1")
              .buildAsync(URI.create("ws://127.0.0.1:" + node.ports().http() + "/ws?ticket=" + ticket), listener)
              .orTimeout(15, TimeUnit.SECONDS)
              .join();
      return listener;
    }

    boolean isOpen() {
      return !closed.isDone();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          frames.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        partial.setLength(0);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }

    void send(String text) {
      socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    JsonNode awaitFrame(String type, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        JsonNode frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
        if (frame == null) {
          throw new AssertionError("no " + type + " frame within " + timeout);
        }
        if (type.equals(frame.path("type").asText())) {
          return frame;
        }
      }
    }

    void awaitClosed(Duration timeout) {
      closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
      if (!closed.isDone()) {
        socket.abort();
      }
    }
  }

  /** An SSE response read line by line on its own thread; knows its event types and its end. */
  private static final class Sse implements AutoCloseable {
    private final HttpResponse<java.util.stream.Stream<String>> response;
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private final AtomicReference<Thread> reader = new AtomicReference<>();

    private Sse(HttpResponse<java.util.stream.Stream<String>> response) {
      this.response = response;
      Thread thread =
          new Thread(
              () -> {
                try {
                  response.body().forEach(line -> {
                    if (line.startsWith("event:")) {
                      events.add(line.substring(6).trim());
                    }
                  });
                } catch (RuntimeException ignored) {
                  // closed by the test
                }
                end.complete(null);
              });
      thread.setDaemon(true);
      reader.set(thread);
      thread.start();
    }

    static Sse open(HttpClient client, NodeProcess node, String path) throws Exception {
      return new Sse(
          client.send(
              HttpRequest.newBuilder(node.uri(path)).header("Accept", "text/event-stream").GET().build(),
              HttpResponse.BodyHandlers.ofLines()));
    }

    int status() {
      return response.statusCode();
    }

    void awaitEvent(String type, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        String event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
        if (event == null) {
          throw new AssertionError("no " + type + " event within " + timeout);
        }
        if (event.equals(type)) {
          return;
        }
      }
    }

    boolean ended() {
      return end.isDone();
    }

    void awaitEnd(Duration timeout) {
      await().atMost(timeout).pollInterval(Duration.ofMillis(10)).until(end::isDone);
    }

    @Override
    public void close() {
      reader.get().interrupt();
      if (!end.isDone()) {
        response.body().close();
      }
    }
  }
}
