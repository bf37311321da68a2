package dev.troupe.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The rooms benchmark's WebSocket client: many client connections (RFC 6455, text frames, no
 * extensions, no TLS) on one NIO selector thread. {@code java.net.http.WebSocket} works too, but
 * costs a future and several scheduler hops per message; this load generator must receive hundreds
 * of thousands of small frames a second on one core for both servers alike, so it reads each
 * socket into one shared buffer and parses frames in place. Both systems are driven through it,
 * so the client's cost is the same for both.
 *
 * <p>Callbacks ({@link Handler}) run on the selector thread and must be short. {@link
 * Connection#sendText} may be called from any thread.
 */
final class WsClient implements AutoCloseable {

  /** What a connection reports; called on the selector thread. */
  interface Handler {
    /** The handshake answered 101. */
    void onOpen(Connection connection);

    /** A complete text message. */
    void onText(Connection connection, String text);

    /** The connection ended (refused handshake, close frame, reset, EOF); called once. */
    void onClosed(Connection connection, String reason);
  }

  private static final int READ_BUFFER = 256 * 1024;
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
  private volatile boolean running = true;

  WsClient(String name) throws IOException {
    selector = Selector.open();
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Opens a connection to {@code ws://host:port/path} with extra request header lines ({@code
   * "Name: value"}); the handler learns when it is open or has failed.
   */
  Connection connect(String host, int port, String path, List<String> headers, Handler handler) {
    Connection connection = new Connection(host, port, path, headers, handler);
    execute(connection::start);
    return connection;
  }

  private void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  private void loop() {
    while (running) {
      try {
        selector.select(200);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Connection c = (Connection) key.attachment();
          try {
            if (!key.isValid()) {
              continue;
            }
            if (key.isConnectable()) {
              c.finishConnect();
            }
            if (key.isValid() && key.isReadable()) {
              c.read();
            }
            if (key.isValid() && key.isWritable()) {
              c.flush();
            }
          } catch (IOException | RuntimeException e) {
            c.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
          }
        }
      } catch (IOException e) {
        if (running) {
          System.err.println("ws client loop: " + e);
        }
      }
    }
  }

  /** Closes every connection (without close frames) and stops the selector thread. */
  @Override
  public void close() {
    execute(
        () -> {
          for (SelectionKey key : selector.keys()) {
            ((Connection) key.attachment()).fail("client closed");
          }
          running = false;
        });
    try {
      thread.join(5000);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** One client WebSocket. */
  final class Connection {

    private final String host;
    private final int port;
    private final String path;
    private final List<String> headers;
    private final Handler handler;
    private SocketChannel channel;
    private SelectionKey key;
    /** Bytes read but not parsed yet (a partial frame or handshake); null when none. */
    private ByteBuffer partial;
    /** A fragmented text message being assembled; null when none. */
    private java.io.ByteArrayOutputStream fragments;
    private boolean open;
    private volatile boolean closed;
    /** Frames not written yet (guarded by this). */
    private final Queue<ByteBuffer> pending = new ArrayDeque<>();
    private boolean writeInterest;
    /** Anything the caller wants to keep with the connection. */
    volatile Object attachment;

    private Connection(String host, int port, String path, List<String> headers, Handler handler) {
      this.host = host;
      this.port = port;
      this.path = path;
      this.headers = List.copyOf(headers);
      this.handler = handler;
    }

    boolean isOpen() {
      return open && !closed;
    }

    boolean isClosed() {
      return closed;
    }

    private void start() {
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        key = channel.register(selector, SelectionKey.OP_CONNECT, this);
        if (channel.connect(new InetSocketAddress(host, port))) {
          finishConnect();
        }
      } catch (IOException | RuntimeException e) {
        fail("connect: " + e);
      }
    }

    private void finishConnect() throws IOException {
      if (!channel.finishConnect()) {
        return;
      }
      key.interestOps(SelectionKey.OP_READ);
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      StringBuilder request = new StringBuilder(256);
      request.append("GET ").append(path).append(" HTTP/1.1\r\n");
      request.append("Host: ").append(host).append(':').append(port).append("\r\n");
      request.append("Upgrade: websocket\r\nConnection: Upgrade\r\n");
      request.append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n");
      request.append("Sec-WebSocket-Version: 13\r\n");
      headers.forEach(h -> request.append(h).append("\r\n"));
      request.append("\r\n");
      write(ByteBuffer.wrap(request.toString().getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Sends one text message (one masked frame); false when the connection is closed. */
    boolean sendText(String text) {
      return write(frame(0x1, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Starts a clean close (close frame 1000); the handler hears {@code onClosed} when it ends. */
    void sendClose() {
      write(frame(0x8, new byte[] {0x03, (byte) 0xE8}));
    }

    private boolean write(ByteBuffer frame) {
      synchronized (this) {
        if (closed) {
          return false;
        }
        try {
          if (pending.isEmpty()) {
            channel.write(frame);
            if (!frame.hasRemaining()) {
              return true;
            }
          }
          pending.add(frame);
          if (!writeInterest) {
            writeInterest = true;
            execute(() -> {
              if (key.isValid()) {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
              }
            });
          }
          return true;
        } catch (IOException e) {
          execute(() -> fail("write: " + e.getMessage()));
          return false;
        }
      }
    }

    private void flush() throws IOException {
      synchronized (this) {
        while (!pending.isEmpty()) {
          ByteBuffer head = pending.peek();
          channel.write(head);
          if (head.hasRemaining()) {
            return;
          }
          pending.poll();
        }
        writeInterest = false;
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
      }
    }

    private void read() throws IOException {
      while (true) {
        readBuffer.clear();
        int n = channel.read(readBuffer);
        if (n < 0) {
          fail("closed by server (EOF)");
          return;
        }
        if (n == 0) {
          return;
        }
        readBuffer.flip();
        if (partial == null) {
          consume(readBuffer);
          if (readBuffer.hasRemaining() && !closed) {
            partial = ByteBuffer.allocate(Math.max(16 * 1024, readBuffer.remaining() * 2));
            partial.put(readBuffer);
          }
        } else {
          if (partial.remaining() < readBuffer.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate((partial.position() + readBuffer.remaining()) * 2);
            partial.flip();
            bigger.put(partial);
            partial = bigger;
          }
          partial.put(readBuffer);
          partial.flip();
          consume(partial);
          if (partial.hasRemaining() && !closed) {
            partial.compact();
          } else {
            partial = null;
          }
        }
        if (closed || n < READ_BUFFER) {
          return;
        }
      }
    }

    /** Parses the handshake answer, then whole frames, leaving an incomplete one in {@code in}. */
    private void consume(ByteBuffer in) {
      if (!open) {
        int end = indexOf(in, HEADER_END);
        if (end < 0) {
          return;
        }
        byte[] head = new byte[end - in.position()];
        in.get(head);
        in.position(in.position() + HEADER_END.length);
        String answer = new String(head, StandardCharsets.ISO_8859_1);
        if (!answer.startsWith("HTTP/1.1 101")) {
          byte[] rest = new byte[Math.min(in.remaining(), 300)];
          in.get(rest);
          in.position(in.limit());
          fail("handshake refused: " + answer.lines().findFirst().orElse("?") + " " + new String(rest, StandardCharsets.UTF_8));
          return;
        }
        open = true;
        handler.onOpen(this);
      }
      while (!closed && in.remaining() >= 2) {
        int p = in.position();
        int b0 = in.get(p) & 0xff;
        int b1 = in.get(p + 1) & 0xff;
        long length = b1 & 0x7f;
        int header = 2;
        if (length == 126) {
          if (in.remaining() < 4) {
            return;
          }
          length = in.getShort(p + 2) & 0xffff;
          header = 4;
        } else if (length == 127) {
          if (in.remaining() < 10) {
            return;
          }
          length = in.getLong(p + 2);
          header = 10;
        }
        boolean masked = (b1 & 0x80) != 0;
        if (masked) {
          header += 4;
        }
        if (in.remaining() < header + length) {
          return;
        }
        byte[] payload = new byte[(int) length];
        in.get(p + header, payload);
        if (masked) {
          for (int i = 0; i < payload.length; i++) {
            payload[i] ^= in.get(p + header - 4 + (i & 3));
          }
        }
        in.position(p + header + (int) length);
        onFrame((b0 & 0x80) != 0, b0 & 0x0f, payload);
      }
    }

    private void onFrame(boolean fin, int opcode, byte[] payload) {
      switch (opcode) {
        case 0x1, 0x2 -> {
          if (fin) {
            handler.onText(this, new String(payload, StandardCharsets.UTF_8));
          } else {
            fragments = new java.io.ByteArrayOutputStream();
            fragments.writeBytes(payload);
          }
        }
        case 0x0 -> {
          if (fragments != null) {
            fragments.writeBytes(payload);
            if (fin) {
              String text = fragments.toString(StandardCharsets.UTF_8);
              fragments = null;
              handler.onText(this, text);
            }
          }
        }
        case 0x8 -> {
          int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
          String why = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
          write(frame(0x8, payload.length >= 2 ? new byte[] {payload[0], payload[1]} : new byte[0]));
          fail("close frame " + code + (why.isEmpty() ? "" : " " + why));
        }
        case 0x9 -> write(frame(0xA, payload));
        default -> {
          // pong or reserved: nothing to do
        }
      }
    }

    /** Ends the connection (idempotent); the handler hears it once. */
    void fail(String reason) {
      if (closed) {
        return;
      }
      synchronized (this) {
        closed = true;
        pending.clear();
      }
      try {
        if (key != null) {
          key.cancel();
        }
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        // closed anyway
      }
      handler.onClosed(this, reason);
    }

    /** Closes now, from any thread, without a close frame. */
    void abort(String reason) {
      execute(() -> fail(reason));
    }
  }

  /** A client frame: FIN, {@code opcode}, masked with a random key (RFC 6455 5.3). */
  static ByteBuffer frame(int opcode, byte[] payload) {
    int n = payload.length;
    int header = 2 + (n < 126 ? 0 : n < 65536 ? 2 : 8) + 4;
    ByteBuffer frame = ByteBuffer.allocate(header + n);
    frame.put((byte) (0x80 | opcode));
    if (n < 126) {
      frame.put((byte) (0x80 | n));
    } else if (n < 65536) {
      frame.put((byte) (0x80 | 126));
      frame.putShort((short) n);
    } else {
      frame.put((byte) (0x80 | 127));
      frame.putLong(n);
    }
    int mask = ThreadLocalRandom.current().nextInt();
    frame.putInt(mask);
    byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    for (int i = 0; i < n; i++) {
      frame.put((byte) (payload[i] ^ m[i & 3]));
    }
    frame.flip();
    return frame;
  }

  private static int indexOf(ByteBuffer in, byte[] needle) {
    outer:
    for (int i = in.position(); i <= in.limit() - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (in.get(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
