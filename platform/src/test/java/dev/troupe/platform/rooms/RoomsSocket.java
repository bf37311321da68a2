package dev.troupe.platform.rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.platform.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A {@code GET /ws} client on the JDK's {@link WebSocket} with {@code Authorization: Bearer}: sends
 * join/leave/post frames with fresh refs and keeps every server frame it received (parsed JSON with
 * the instant it arrived), so tests can assert on order, gaps and duplicates after the fact. A
 * frame answering a ref ({@code ack} or {@code error}) also completes that request's future.
 */
final class RoomsSocket implements AutoCloseable {

  /** A server frame and when it arrived. */
  record Frame(JsonNode json, Instant at) {
    String type() {
      return json.path("type").asText();
    }

    String room() {
      return json.path("room").asText();
    }
  }

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

  private final String label;
  private final NodeProcess node;
  private final List<Frame> frames = new ArrayList<>();
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger refs = new AtomicInteger();
  private final AtomicReference<String> closedBy = new AtomicReference<>();
  private final AtomicReference<Instant> closedAt = new AtomicReference<>();
  private final WebSocket socket;
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

  private RoomsSocket(String label, NodeProcess node, String token) {
    this.label = label;
    this.node = node;
    URI uri = URI.create("ws://127.0.0.1:" + node.ports().http() + "/ws");
    try {
      this.socket =
          CLIENT
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + token)
              .connectTimeout(Duration.ofSeconds(5))
              .buildAsync(uri, new Listener())
              .get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("WebSocket " + label + " to " + node.name() + " failed: " + e, e);
    }
  }

  /** Opens {@code /ws} on a node with an access token; {@code label} names it in messages. */
  static RoomsSocket connect(String label, NodeProcess node, String token) {
    return new RoomsSocket(label, node, token);
  }

  String label() {
    return label;
  }

  NodeProcess node() {
    return node;
  }

  /** {@code join}, with {@code since} when not null; the future completes with the ack or error frame. */
  CompletableFuture<JsonNode> join(String room, Long since) {
    ObjectNode frame = RoomsHttp.JSON.createObjectNode().put("type", "join").put("room", room);
    if (since != null) {
      frame.put("since", since);
    }
    return request(frame);
  }

  /** Joins and fails unless the answer is an ack; answers the ack frame. */
  JsonNode joined(String room, Long since) {
    JsonNode ack = await(join(room, since), "join " + room);
    if (!"ack".equals(ack.path("type").asText())) {
      throw new AssertionError(label + ": join " + room + " refused: " + ack);
    }
    return ack;
  }

  CompletableFuture<JsonNode> leave(String room) {
    return request(RoomsHttp.JSON.createObjectNode().put("type", "leave").put("room", room));
  }

  /** {@code post}; the future completes with the ack (offset, sender, timestamp) or error frame. */
  CompletableFuture<JsonNode> post(String room, JsonNode body) {
    ObjectNode frame = RoomsHttp.JSON.createObjectNode().put("type", "post").put("room", room);
    frame.set("body", body);
    return request(frame);
  }

  /** The message frames of a room received so far, in arrival order. */
  List<JsonNode> messages(String room) {
    return frames(f -> "message".equals(f.type()) && room.equals(f.room())).stream().map(Frame::json).toList();
  }

  /** The offsets of the room's message frames, in arrival order. */
  List<Long> offsets(String room) {
    return messages(room).stream().map(m -> m.path("offset").asLong()).toList();
  }

  /** The frames of a type for a room, in arrival order. */
  List<Frame> frames(String type, String room) {
    return frames(f -> type.equals(f.type()) && room.equals(f.room()));
  }

  List<Frame> frames(Predicate<Frame> which) {
    synchronized (frames) {
      return frames.stream().filter(which).toList();
    }
  }

  /** Every frame received so far (for failure messages). */
  List<Frame> frames() {
    synchronized (frames) {
      return List.copyOf(frames);
    }
  }

  /** Whether the server closed the connection or it failed; the reason then. */
  boolean isClosed() {
    return closedBy.get() != null;
  }

  String closedBy() {
    return closedBy.get();
  }

  Instant closedAt() {
    return closedAt.get();
  }

  /** Closes normally (close frame 1000) and drops the TCP connection. */
  @Override
  public void close() {
    if (!isClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(3, TimeUnit.SECONDS).exceptionally(e -> null);
    }
    socket.abort();
  }

  @Override
  public String toString() {
    return label + "@" + node.name();
  }

  private CompletableFuture<JsonNode> request(ObjectNode frame) {
    String ref = label + "-" + refs.incrementAndGet();
    frame.put("ref", ref);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(ref, answer);
    send(frame.toString()).whenComplete((ok, e) -> {
      if (e != null) {
        answer.completeExceptionally(e);
      }
    });
    return answer;
  }

  /** One send at a time (the JDK refuses overlapping sends): each waits for the one before. */
  private synchronized CompletableFuture<?> send(String text) {
    CompletableFuture<?> next = sending.handle((ok, e) -> null).thenCompose(x -> socket.sendText(text, true));
    sending = next;
    return next;
  }

  private JsonNode await(CompletableFuture<JsonNode> answer, String what) {
    try {
      return answer.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(this + ": no answer to " + what + ": " + e + "; frames " + frames(), e);
    }
  }

  private void received(String text) {
    JsonNode json;
    try {
      json = RoomsHttp.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      json = RoomsHttp.JSON.createObjectNode().put("type", "unparsable").put("text", text);
    }
    synchronized (frames) {
      frames.add(new Frame(json, Instant.now()));
    }
    String ref = json.path("ref").asText(null);
    if (ref != null) {
      CompletableFuture<JsonNode> answer = pending.remove(ref);
      if (answer != null) {
        answer.complete(json);
      }
    }
  }

  private void closed(String why) {
    closedAt.compareAndSet(null, Instant.now());
    closedBy.compareAndSet(null, why);
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException(this + " closed: " + why)));
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String whole = text.toString();
        text.setLength(0);
        received(whole);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed("close " + statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed("error " + error);
    }
  }
}
