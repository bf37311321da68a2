package dev.troupe.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection with blocking sockets: the smallest client that costs the
 * load generator little CPU per request (one write, one buffered read), so that the client, not
 * the server, is rarely the bottleneck. Handles Content-Length and chunked bodies. Not thread
 * safe: one connection per worker thread.
 */
final class HttpConnection implements Closeable {

  /** A response: status code and body bytes. */
  record Response(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  HttpConnection(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The bytes of a request with an optional JSON body. */
  static byte[] request(String method, String host, int port, String path, String jsonBody) {
    return request(method, host, port, path, jsonBody, List.of());
  }

  /** As above, with extra header lines ({@code "Name: value"}). */
  static byte[] request(String method, String host, int port, String path, String jsonBody, List<String> headers) {
    StringBuilder text = new StringBuilder(256);
    text.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    text.append("Host: ").append(host).append(':').append(port).append("\r\n");
    headers.forEach(h -> text.append(h).append("\r\n"));
    byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
    if (jsonBody != null) {
      text.append("Content-Type: application/json\r\n");
    }
    if (jsonBody != null || !method.equals("GET")) {
      text.append("Content-Length: ").append(body.length).append("\r\n");
    }
    text.append("\r\n");
    byte[] head = text.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** The bytes of a request with a body of any content type (e.g. a cache PUT). */
  static byte[] request(String method, String host, int port, String path, byte[] body, String contentType) {
    StringBuilder text = new StringBuilder(256);
    text.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    text.append("Host: ").append(host).append(':').append(port).append("\r\n");
    text.append("Content-Type: ").append(contentType).append("\r\n");
    text.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] head = text.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Sends one request and reads its response, (re)connecting first if needed. */
  Response exchange(byte[] request) throws IOException {
    if (socket == null) {
      connect();
    }
    try {
      out.write(request);
      out.flush();
      return readResponse();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(host, port), 5_000);
    s.setSoTimeout(60_000);
    socket = s;
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    out = s.getOutputStream();
  }

  private Response readResponse() throws IOException {
    String statusLine = readLine();
    // "HTTP/1.1 200 OK"
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long contentLength = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    byte[] body;
    if (status == 204 || status == 304) {
      // No body, whatever the headers say (RFC 9110 6.4.1): never read to the end of the stream.
      body = new byte[0];
    } else if (chunked) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine();
        int semi = sizeLine.indexOf(';');
        int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
        if (size == 0) {
          while (!readLine().isEmpty()) {
            // trailers
          }
          break;
        }
        bytes.write(readExactly(size));
        readLine();
      }
      body = bytes.toByteArray();
    } else if (contentLength >= 0) {
      body = readExactly((int) contentLength);
    } else {
      body = in.readAllBytes();
      closeAfter = true;
    }
    if (closeAfter) {
      close();
    }
    return new Response(status, body);
  }

  private byte[] readExactly(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new EOFException("connection closed in a response body");
    }
    return bytes;
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed by the server");
      }
      if (b == '\n') {
        int len = line.length();
        if (len > 0 && line.charAt(len - 1) == '\r') {
          line.setLength(len - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a client socket cannot matter here.
      }
    }
    socket = null;
    in = null;
    out = null;
  }

  /** One request on a fresh connection, for set-up calls outside the measured loop. */
  static Response once(String host, int port, String method, String path, String jsonBody)
      throws IOException {
    return once(host, port, method, path, jsonBody, List.of());
  }

  /** As above, with extra header lines ({@code "Name: value"}). */
  static Response once(String host, int port, String method, String path, String jsonBody, List<String> headers)
      throws IOException {
    try (HttpConnection connection = new HttpConnection(host, port)) {
      return connection.exchange(request(method, host, port, path, jsonBody, headers));
    }
  }
}
