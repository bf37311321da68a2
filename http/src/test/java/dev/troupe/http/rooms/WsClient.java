package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.http.testkit.TestHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A WebSocket test client over the JDK's {@link WebSocket}: frames arrive on the JDK's thread and
 * are queued as JSON, so a test waits for the next one with a bounded timeout. A client opened
 * without reading requests nothing: the JDK stops reading the socket, the way a stalled browser
 * tab would, until {@link #startReading()}.
 */
final class WsClient implements WebSocket.Listener, AutoCloseable {

  /** The end of the connection: the close code the server sent, or the error. */
  record Closed(int code, String reason, Throwable error) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
  private final AtomicInteger syncs = new AtomicInteger();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private volatile boolean reading;
  private volatile WebSocket socket;

  private WsClient(boolean reading) {
    this.reading = reading;
  }

  /** Connects with {@code Authorization: Bearer <token>} and reads as frames come. */
  static WsClient connect(int port, String token) {
    return connect(port, builder -> builder.header("Authorization", "Bearer " + token), true);
  }

  /** Connects with the builder as customized; reading or not. Fails when the handshake fails. */
  static WsClient connect(int port, Consumer<WebSocket.Builder> customize, boolean reading) {
    WsClient client = new WsClient(reading);
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    customize.accept(builder);
    client.socket =
        builder
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), client)
            .orTimeout(15, TimeUnit.SECONDS)
            .join();
    return client;
  }

  /** The subprotocol the server chose ("" for none). */
  String subprotocol() {
    return socket.getSubprotocol();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    if (reading) {
      webSocket.request(1);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String text = partial.toString();
      partial.setLength(0);
      try {
        frames.add(TestHttp.JSON.readTree(text));
      } catch (IOException e) {
        frames.add(new UncheckedIOException("not JSON: " + text, e));
      }
    }
    if (reading) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    frames.add(new AssertionError("the server sent a binary frame"));
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    Closed end = new Closed(statusCode, reason, null);
    closed.complete(end);
    frames.add(end);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    Closed end = new Closed(-1, null, error);
    closed.complete(end);
    frames.add(end);
  }

  /** Starts (or resumes) reading what the server sent. */
  void startReading() {
    reading = true;
    socket.request(Long.MAX_VALUE);
  }

  void send(String text) {
    socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  void sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true).orTimeout(10, TimeUnit.SECONDS).join();
  }

  /** Sends a frame built from field pairs (values are strings, numbers or JSON nodes). */
  void send(Object... fields) {
    ObjectNode frame = JsonNodeFactory.instance.objectNode();
    for (int i = 0; i < fields.length; i += 2) {
      String name = (String) fields[i];
      Object value = fields[i + 1];
      if (value instanceof JsonNode node) {
        frame.set(name, node);
      } else if (value instanceof Number number) {
        frame.put(name, number.longValue());
      } else {
        frame.put(name, (String) value);
      }
    }
    send(frame.toString());
  }

  void join(String room, String ref) {
    send("type", "join", "room", room, "ref", ref);
  }

  /** Joins and waits for the ack and the presence state; answers the ack. */
  JsonNode joined(String room, String ref) throws InterruptedException {
    join(room, ref);
    JsonNode ack = next(f -> isType(f, "ack") && ref.equals(f.path("ref").asText()), Duration.ofSeconds(15));
    next(f -> isType(f, "presence_state") && room.equals(f.path("room").asText()), Duration.ofSeconds(15));
    return ack;
  }

  /**
   * Waits until the room's topic delivers to this client's hub: posts (as {@code poster}) until a
   * message reaches the client within 400 ms, well before the room's head announcement (1 s) could
   * have brought it. A hub that subscribed a moment ago is not yet known to the room's topic (the
   * receptionist's registration delay): a kick, ban or close published before then never reaches
   * it, which the tests of those would otherwise trip over (reported on issue 5).
   */
  static void awaitLive(TestHttp poster, WsClient client, String room) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      long offset = RoomsFixture.post(poster, room, "{\"sync\":true}").path("offset").asLong();
      try {
        client.next(f -> isType(f, "message") && f.path("offset").asLong() == offset, Duration.ofMillis(400));
        return;
      } catch (AssertionError notYet) {
        // not through the topic yet
      }
    }
    throw new AssertionError("no message reached the client live within 15 s");
  }

  static boolean isType(JsonNode frame, String type) {
    return type.equals(frame.path("type").asText());
  }

  /** The next frame; fails when none comes in time or the connection ended. */
  JsonNode next(Duration timeout) throws InterruptedException {
    Object item = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (item == null) {
      throw new AssertionError("no frame within " + timeout);
    }
    if (item instanceof Closed end) {
      frames.add(end);
      throw new AssertionError("the connection ended: " + end);
    }
    if (item instanceof RuntimeException e) {
      throw e;
    }
    if (item instanceof Error e) {
      throw e;
    }
    return (JsonNode) item;
  }

  /** The next frame that matches, skipping the others. */
  JsonNode next(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching frame within " + timeout + "; skipped " + skipped);
      }
      JsonNode frame = next(Duration.ofNanos(left));
      if (match.test(frame)) {
        return frame;
      }
      skipped.add(frame);
    }
  }

  /** The next frame of the type, skipping others. */
  JsonNode next(String type) throws InterruptedException {
    return next(f -> isType(f, type), Duration.ofSeconds(15));
  }

  /**
   * Everything the server queued for this client so far: sends a leave of a room never joined,
   * which the server answers at once through the client's own queue, and answers the frames
   * before that answer. A frame the server queued before this call (e.g. a message delivered
   * to another client earlier) is in it; no quiet period is needed.
   */
  List<JsonNode> sync() throws InterruptedException {
    String ref = "sync-" + syncs.incrementAndGet();
    send("type", "leave", "room", "never-joined-sync", "ref", ref);
    List<JsonNode> before = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      JsonNode frame = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (isType(frame, "ack") && ref.equals(frame.path("ref").asText())) {
        return before;
      }
      before.add(frame);
    }
  }

  /** Frames that arrive within the time (none expected to end the connection). */
  List<JsonNode> drain(Duration quiet) throws InterruptedException {
    List<JsonNode> result = new ArrayList<>();
    while (true) {
      Object item = frames.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
      if (item == null) {
        return result;
      }
      if (item instanceof JsonNode node) {
        result.add(node);
      } else {
        frames.add(item);
        return result;
      }
    }
  }

  /** Waits for the end of the connection and answers how it ended. */
  Closed awaitClosed(Duration timeout) {
    return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  boolean isClosed() {
    return closed.isDone();
  }

  /** Asserts the next frame is an error with the code; answers it. */
  JsonNode expectError(String code) throws InterruptedException {
    JsonNode frame = next("error");
    assertThat(frame.path("code").asText()).as("error frame %s", frame).isEqualTo(code);
    return frame;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null);
      socket.abort();
    }
  }
}
