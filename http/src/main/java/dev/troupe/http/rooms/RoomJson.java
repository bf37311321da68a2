package dev.troupe.http.rooms;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.troupe.actors.rooms.PostResult;
import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.PresenceState;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON text of rooms on the wire: WebSocket frames, SSE event data and REST bodies. Message
 * bodies are written as the text kept in the journal, never re-encoded. Written with a streaming
 * generator, no tree built; a broadcast frame is rendered once for all clients (see {@code
 * RoomOutput.Memo}).
 */
public final class RoomJson {

  private final JsonFactory factory;

  public RoomJson(JsonFactory factory) {
    this.factory = factory;
  }

  /** Writes one JSON document. */
  @FunctionalInterface
  interface Writer {
    void write(JsonGenerator json) throws IOException;
  }

  String render(Writer writer) {
    // Jackson's recycled buffers (as ObjectMapper.writeValueAsString uses): no StringBuffer copy.
    BufferRecycler recycler = factory._getBufferRecycler();
    try (SegmentedStringWriter out = new SegmentedStringWriter(recycler)) {
      try (JsonGenerator json = factory.createGenerator(out)) {
        writer.write(json);
      }
      return out.getAndClear();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      recycler.releaseToPool();
    }
  }

  // ---- WebSocket frames

  /**
   * The frame for an output. A replay has none: connections get it flattened into messages
   * ({@code RoomLive.Connection#outputs}), so it never gets here.
   */
  public String frame(RoomOutput output) {
    if (output instanceof RoomOutput.Message m) {
      return render(json -> message(json, m.message(), "message", true));
    }
    if (output instanceof RoomOutput.PresenceDiff d) {
      return render(json -> presenceDiff(json, d, "presence_diff"));
    }
    if (output instanceof RoomOutput.Signal s) {
      return render(
          json -> {
            json.writeStartObject();
            json.writeStringField("type", "signal");
            json.writeStringField("room", s.room());
            json.writeStringField("sender", s.sender());
            json.writeFieldName("body");
            json.writeRawValue(s.body());
            json.writeEndObject();
          });
    }
    if (output instanceof RoomOutput.PostAcked a) {
      return render(json -> postAck(json, a.ref(), a.result()));
    }
    if (output instanceof RoomOutput.Joined j) {
      return render(
          json -> {
            ackStart(json, j.ref(), j.room());
            json.writeNumberField("head", j.head());
            json.writeEndObject();
          });
    }
    if (output instanceof RoomOutput.Left l) {
      return render(
          json -> {
            ackStart(json, l.ref(), l.room());
            json.writeEndObject();
          });
    }
    if (output instanceof RoomOutput.PresenceSnapshot p) {
      return render(json -> presence(json, p.state(), "presence_state"));
    }
    if (output instanceof RoomOutput.Closed c) {
      return render(
          json -> {
            json.writeStartObject();
            json.writeStringField("type", "closed");
            json.writeStringField("room", c.room());
            json.writeEndObject();
          });
    }
    if (output instanceof RoomOutput.Removed r) {
      return error(r.room(), null, r.code(), r.message());
    }
    if (output instanceof RoomOutput.Refused r) {
      return error(r.room(), r.ref(), r.code(), r.message());
    }
    throw new IllegalArgumentException("no frame for " + output.getClass().getSimpleName());
  }

  /** {@code {"type":"error","ref"?,"room"?,"code","message"}}; empty room and ref are left out. */
  public String error(String room, String ref, String code, String message) {
    return render(
        json -> {
          json.writeStartObject();
          json.writeStringField("type", "error");
          if (ref != null && !ref.isEmpty()) {
            json.writeStringField("ref", ref);
          }
          if (room != null && !room.isEmpty()) {
            json.writeStringField("room", room);
          }
          json.writeStringField("code", code);
          json.writeStringField("message", message == null ? code : message);
          json.writeEndObject();
        });
  }

  private static void ackStart(JsonGenerator json, String ref, String room) throws IOException {
    json.writeStartObject();
    json.writeStringField("type", "ack");
    if (ref != null) {
      json.writeStringField("ref", ref);
    }
    json.writeStringField("room", room);
  }

  private static void postAck(JsonGenerator json, String ref, PostResult result) throws IOException {
    ackStart(json, ref, result.room());
    json.writeNumberField("offset", result.offset());
    json.writeStringField("sender", result.sender());
    json.writeStringField("timestamp", result.timestamp().toString());
    json.writeEndObject();
  }

  // ---- messages, presence, rooms (WebSocket, SSE and REST share these shapes)

  /**
   * A message: {@code {"type"?,"room"?,"offset","sender","timestamp","body"}}; {@code type} only
   * when given, {@code room} only when asked for.
   */
  static void message(JsonGenerator json, RoomMessage m, String type, boolean withRoom)
      throws IOException {
    json.writeStartObject();
    if (type != null) {
      json.writeStringField("type", type);
    }
    if (withRoom) {
      json.writeStringField("room", m.room());
    }
    json.writeNumberField("offset", m.offset());
    json.writeStringField("sender", m.sender());
    json.writeStringField("timestamp", m.timestamp().toString());
    json.writeFieldName("body");
    json.writeRawValue(m.body());
    json.writeEndObject();
  }

  /** SSE {@code message} data: the message with its room. */
  public String messageEvent(RoomMessage m) {
    return render(json -> message(json, m, null, true));
  }

  /** SSE {@code closed} data: {@code {"room"}}. */
  public String closedEvent(String room) {
    return render(
        json -> {
          json.writeStartObject();
          json.writeStringField("room", room);
          json.writeEndObject();
        });
  }

  /** {@code {"messages":[{"offset","sender","timestamp","body"}...],"head"}}. */
  public String page(List<RoomMessage> messages, long head) {
    return render(
        json -> {
          json.writeStartObject();
          json.writeArrayFieldStart("messages");
          for (RoomMessage m : messages) {
            message(json, m, null, false);
          }
          json.writeEndArray();
          json.writeNumberField("head", head);
          json.writeEndObject();
        });
  }

  /** The 201 body of a post: {@code {"room","offset","sender","timestamp"}}. */
  public String posted(PostResult result) {
    return render(
        json -> {
          json.writeStartObject();
          json.writeStringField("room", result.room());
          json.writeNumberField("offset", result.offset());
          json.writeStringField("sender", result.sender());
          json.writeStringField("timestamp", result.timestamp().toString());
          json.writeEndObject();
        });
  }

  /** Presence as a REST body or SSE event (no type) or a {@code presence_state} frame. */
  public String presence(PresenceState state) {
    return render(json -> presence(json, state, null));
  }

  private static void presence(JsonGenerator json, PresenceState state, String type)
      throws IOException {
    json.writeStartObject();
    if (type != null) {
      json.writeStringField("type", type);
    }
    json.writeStringField("room", state.room());
    json.writeNumberField("count", state.userCount());
    json.writeNumberField("connections", state.connectionCount());
    users(json, "users", state.users());
    json.writeBooleanField("truncated", state.truncated());
    json.writeEndObject();
  }

  /** SSE {@code presence_diff} data: the frame without its type. */
  public String presenceDiffEvent(RoomOutput.PresenceDiff diff) {
    return render(json -> presenceDiff(json, diff, null));
  }

  private static void presenceDiff(JsonGenerator json, RoomOutput.PresenceDiff diff, String type)
      throws IOException {
    json.writeStartObject();
    if (type != null) {
      json.writeStringField("type", type);
    }
    json.writeStringField("room", diff.room());
    users(json, "joins", diff.joins());
    users(json, "leaves", diff.leaves());
    json.writeNumberField("count", diff.userCount());
    json.writeNumberField("connections", diff.connectionCount());
    json.writeEndObject();
  }

  private static void users(JsonGenerator json, String field, Map<String, List<PresenceMeta>> users)
      throws IOException {
    json.writeObjectFieldStart(field);
    if (users != null) {
      for (Map.Entry<String, List<PresenceMeta>> user : users.entrySet()) {
        json.writeArrayFieldStart(user.getKey());
        for (PresenceMeta meta : user.getValue()) {
          json.writeStartObject();
          json.writeStringField("connection", meta.connection());
          json.writeStringField("node", meta.node());
          json.writeStringField("kind", meta.kind());
          json.writeStringField("joinedAt", meta.joinedAt().toString());
          json.writeEndObject();
        }
        json.writeEndArray();
      }
    }
    json.writeEndObject();
  }

  /** {@code {"room","visibility","maxHistory","maxConnections","posting","head","created","members"}}. */
  public String room(RoomInfo info) {
    return render(json -> room(json, info));
  }

  /** {@code {"rooms":[room...]}}. */
  public String rooms(List<RoomInfo> rooms) {
    return render(
        json -> {
          json.writeStartObject();
          json.writeArrayFieldStart("rooms");
          for (RoomInfo info : rooms) {
            room(json, info);
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  private static void room(JsonGenerator json, RoomInfo info) throws IOException {
    json.writeStartObject();
    json.writeStringField("room", info.room());
    json.writeStringField("visibility", info.settings().visibility().name().toLowerCase(Locale.ROOT));
    json.writeNumberField("maxHistory", info.settings().maxHistory());
    json.writeNumberField("maxConnections", info.settings().maxConnections());
    json.writeStringField("posting", info.settings().posting().name().toLowerCase(Locale.ROOT));
    json.writeNumberField("head", info.head());
    json.writeStringField("created", info.created().toString());
    json.writeNumberField("members", info.members());
    json.writeEndObject();
  }
}
