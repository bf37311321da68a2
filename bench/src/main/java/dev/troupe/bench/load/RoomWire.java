package dev.troupe.bench.load;

import java.util.List;

/**
 * How the rooms load generator speaks to one system over the same WebSocket client: Troupe's JSON
 * frames, or Socket.IO's Engine.IO v4 text framing. Both get the same body (a JSON object with the
 * send time and the sender's index, see {@link RoomSocket#body}), so the client's work per message
 * is the same.
 */
sealed interface RoomWire {

  /** "troupe" or "socketio": the name in results. */
  String system();

  /** Request path of the WebSocket handshake. */
  String path();

  /** Extra handshake headers of the connection of user {@code user}. */
  List<String> headers(int user);

  /** The WebSocket is open. */
  void onOpen(RoomSocket socket);

  /** A text message arrived. */
  void onText(RoomSocket socket, String text);

  void join(RoomSocket socket, String room);

  /** An ephemeral broadcast to the room's other connections. */
  void signal(RoomSocket socket, String room, String body);

  /** A persisted message (Troupe only). */
  void post(RoomSocket socket, String room, String body);

  static RoomWire of(String system) {
    return switch (system) {
      case "troupe" -> new Troupe();
      case "socketio" -> new SocketIo();
      default -> throw new IllegalArgumentException("system: troupe or socketio, not " + system);
    };
  }

  /**
   * Troupe's {@code /ws}: {@code Authorization: Bearer u<index>} (the bench node's {@code
   * BearerNameAuthenticator} makes each connection its own user), frames {@code join}, {@code
   * signal}, {@code post}; deliveries are {@code signal} and {@code message} frames.
   */
  record Troupe() implements RoomWire {

    @Override
    public String system() {
      return "troupe";
    }

    @Override
    public String path() {
      return "/ws";
    }

    @Override
    public List<String> headers(int user) {
      return List.of("Authorization: Bearer u" + user);
    }

    @Override
    public void onOpen(RoomSocket socket) {
      socket.ready();
    }

    @Override
    public void onText(RoomSocket socket, String text) {
      String type = field(text, "\"type\":\"");
      switch (type) {
        case "signal", "message" -> socket.delivered(text);
        case "ack" -> {
          if (text.contains("\"offset\":")) {
            socket.posted();
          } else {
            socket.joined();
          }
        }
        case "error" -> socket.error(field(text, "\"code\":\""), text);
        default -> {
          // presence_state, presence_diff, closed: not measured
        }
      }
    }

    @Override
    public void join(RoomSocket socket, String room) {
      socket.send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}");
    }

    @Override
    public void signal(RoomSocket socket, String room, String body) {
      socket.send("{\"type\":\"signal\",\"room\":\"" + room + "\",\"body\":" + body + "}");
    }

    @Override
    public void post(RoomSocket socket, String room, String body) {
      socket.send("{\"type\":\"post\",\"room\":\"" + room + "\",\"ref\":\"p\",\"body\":" + body + "}");
    }

    /** The string value after {@code key} (e.g. {@code "type":"}), or "". */
    private static String field(String text, String key) {
      int at = text.indexOf(key);
      if (at < 0) {
        return "";
      }
      int start = at + key.length();
      int end = text.indexOf('"', start);
      return end < 0 ? "" : text.substring(start, end);
    }
  }

  /**
   * Socket.IO 4 over its WebSocket transport (Engine.IO v4): open {@code 0{...}}, connect {@code
   * 40}, events {@code 42[...]}, acks {@code 43<id>[...]}, pings {@code 2} answered {@code 3}.
   * {@code bench/socketio-peer/server.js} handles {@code join} (with ack) and {@code signal}.
   */
  record SocketIo() implements RoomWire {

    @Override
    public String system() {
      return "socketio";
    }

    @Override
    public String path() {
      return "/socket.io/?EIO=4&transport=websocket";
    }

    @Override
    public List<String> headers(int user) {
      return List.of();
    }

    @Override
    public void onOpen(RoomSocket socket) {
      // wait for the Engine.IO open packet
    }

    @Override
    public void onText(RoomSocket socket, String text) {
      if (text.startsWith("42")) {
        socket.delivered(text);
      } else if (text.equals("2")) {
        socket.send("3");
      } else if (text.startsWith("43")) {
        socket.joined();
      } else if (text.startsWith("0{")) {
        socket.send("40");
      } else if (text.startsWith("40")) {
        socket.ready();
      } else if (text.startsWith("44") || text.startsWith("41")) {
        socket.error(text.startsWith("44") ? "connect_error" : "disconnect", text);
      }
    }

    @Override
    public void join(RoomSocket socket, String room) {
      socket.send("420[\"join\",\"" + room + "\"]");
    }

    @Override
    public void signal(RoomSocket socket, String room, String body) {
      socket.send("42[\"signal\",\"" + room + "\"," + body + "]");
    }

    @Override
    public void post(RoomSocket socket, String room, String body) {
      throw new UnsupportedOperationException("Socket.IO persists nothing: no post");
    }
  }
}
