package dev.troupe.http.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.http.testkit.TestHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A WebSocket opened with {@code GET /ws?ticket=} (no header), as a browser opens it. */
final class TicketSocket implements WebSocket.Listener, AutoCloseable {

  record Closed(int code, String reason) {}

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile WebSocket socket;

  /** Opens the socket on {@code base} ({@code ws://host:port}); fails when the handshake fails. */
  static TicketSocket open(String base, String ticket) {
    TicketSocket client = new TicketSocket();
    client.socket =
        HTTP.newWebSocketBuilder()
            .subprotocols("troupe.v1")
            .buildAsync(URI.create(base + "/ws?ticket=" + ticket), client)
            .orTimeout(15, TimeUnit.SECONDS)
            .join();
    return client;
  }

  static TicketSocket open(int port, String ticket) {
    return open("ws://127.0.0.1:" + port, ticket);
  }

  /** Opens {@code /ws} with the given headers (a bearer token, or cookies and an Origin). */
  static TicketSocket openWith(int port, String... headerPairs) {
    TicketSocket client = new TicketSocket();
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().subprotocols("troupe.v1");
    for (int i = 0; i < headerPairs.length; i += 2) {
      builder.header(headerPairs[i], headerPairs[i + 1]);
    }
    client.socket =
        builder
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
            .orTimeout(15, TimeUnit.SECONDS)
            .join();
    return client;
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
        frames.add(TestHttp.JSON.readTree(partial.toString()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      partial.setLength(0);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(new Closed(-1, String.valueOf(error)));
  }

  void send(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Joins the room and waits for its ack. */
  void joined(String room) throws InterruptedException {
    send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j1\"}");
    next(f -> "ack".equals(f.path("type").asText()) && "j1".equals(f.path("ref").asText()), Duration.ofSeconds(15));
  }

  /** The next frame that matches, skipping others; fails when none comes in time. */
  JsonNode next(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (frame == null) {
        throw new AssertionError("no matching frame within " + timeout + "; closed: " + closed.getNow(null));
      }
      if (match.test(frame)) {
        return frame;
      }
    }
  }

  /** Waits for the end of the connection. */
  Closed awaitClosed(Duration timeout) {
    return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.abort();
    }
  }
}
