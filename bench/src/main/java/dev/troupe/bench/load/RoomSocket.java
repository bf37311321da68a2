package dev.troupe.bench.load;

/**
 * One load-generator connection joined to one room: user {@code u<index>}. Its wire ({@link
 * RoomWire}) turns frames into the calls below; deliveries are timed end to end from the body's
 * send time (this JVM's clock, so sender and receiver share it).
 */
final class RoomSocket implements WsClient.Handler {

  /** Origin of the send times in bodies (microseconds since then). */
  private static final long ORIGIN = System.nanoTime();

  final int index;
  final int roomIndex;
  final String room;
  private final RoomLoad load;
  private volatile WsClient.Connection connection;
  private volatile boolean joined;

  RoomSocket(int index, int roomIndex, String room, RoomLoad load) {
    this.index = index;
    this.roomIndex = roomIndex;
    this.room = room;
    this.load = load;
  }

  /** Microseconds since {@link #ORIGIN}. */
  static long nowMicros() {
    return (System.nanoTime() - ORIGIN) / 1000;
  }

  /**
   * A message body: {@code {"ts":<send time, us>,"from":<sender index>,"text":"<text>"}}; the same
   * JSON object for both systems.
   */
  static String body(int from, long sentMicros, String text) {
    return new StringBuilder(48 + text.length())
        .append("{\"ts\":").append(sentMicros)
        .append(",\"from\":").append(from)
        .append(",\"text\":\"").append(text).append("\"}")
        .toString();
  }

  void connect(WsClient client, String host, int port) {
    joined = false;
    connection = client.connect(host, port, load.wire.path(), load.wire.headers(index), this);
  }

  /** Open and joined. */
  boolean live() {
    WsClient.Connection c = connection;
    return joined && c != null && c.isOpen();
  }

  boolean closed() {
    WsClient.Connection c = connection;
    return c == null || c.isClosed();
  }

  void send(String text) {
    WsClient.Connection c = connection;
    if (c != null) {
      c.sendText(text);
    }
  }

  void close() {
    WsClient.Connection c = connection;
    if (c != null && !c.isClosed()) {
      c.sendClose();
    }
  }

  // --- called by the wire, on the client's selector thread -------------------------------------

  /** The protocol handshake is done: join. */
  void ready() {
    load.wire.join(this, room);
  }

  void joined() {
    if (!joined) {
      joined = true;
      load.onJoined(this);
    }
  }

  void delivered(String text) {
    int ts = text.indexOf("\"ts\":");
    int from = text.indexOf("\"from\":");
    if (ts < 0 || from < 0) {
      load.onError(this, "unparsed", text);
      return;
    }
    if ((int) number(text, from + 7) == index) {
      return; // an echo of this connection's own message: not a delivery to another client
    }
    load.onDelivered(number(text, ts + 5), nowMicros());
  }

  void posted() {
    load.onPosted();
  }

  void error(String code, String text) {
    load.onError(this, code, text);
    WsClient.Connection c = connection;
    if (!joined && c != null) {
      c.fail("join refused: " + code); // counted as a failed connect; open() tries again
    }
  }

  // --- WsClient.Handler -------------------------------------------------------------------------

  @Override
  public void onOpen(WsClient.Connection c) {
    load.wire.onOpen(this);
  }

  @Override
  public void onText(WsClient.Connection c, String text) {
    load.wire.onText(this, text);
  }

  @Override
  public void onClosed(WsClient.Connection c, String reason) {
    boolean wasJoined = joined;
    joined = false;
    load.onClosed(this, wasJoined, reason);
  }

  private static long number(String text, int at) {
    long value = 0;
    for (int i = at; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (ch < '0' || ch > '9') {
        break;
      }
      value = value * 10 + (ch - '0');
    }
    return value;
  }
}
