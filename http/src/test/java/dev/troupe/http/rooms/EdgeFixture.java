package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.BlackHoleExtension;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The node the edge-protection ITs ({@code Edge*HttpIT}) run against, and their helpers: one
 * allowlisted origin, 127.0.0.1 as a trusted proxy (a peer on 127.0.0.2 is not), tight connection
 * caps (3 per user, 5 per address, a 2 s start timeout), a strict login group and a tight per-user
 * group on {@code /sessions}; WebSocket messages up to 1 KiB.
 */
final class EdgeFixture {

  static final String ALLOWED = "https://app.example";
  static final String EVIL = "https://evil.example";
  static final Duration WAIT = Duration.ofSeconds(20);

  /** {@code connection-retry-after} below. */
  static final String CONNECTION_RETRY_AFTER = "5";

  final RoomsFixture node;
  final RoomsFixture.Tenant t;

  private EdgeFixture(RoomsFixture node, RoomsFixture.Tenant t) {
    this.node = node;
    this.t = t;
  }

  static EdgeFixture start(Path dataDir, String tenantPrefix) throws Exception {
    RoomsFixture node =
        RoomsFixture.on(
            TestNodes.h2(
                dataDir,
                ConfigFactory.parseString(
                    """
                    pekko.http.server.request-timeout = 2s
                    troupe.entities.ask-timeout = 10s
                    troupe.rooms.max-message-size = 1KiB
                    troupe.http.protections {
                      trusted-proxies = ["127.0.0.1/32"]
                      cors.allowed-origins = ["https://app.example"]
                      max-connections-per-user = 3
                      max-connections-per-ip = 5
                      connection-start-timeout = 2s
                      connection-retry-after = 5s
                      rate-limits {
                        paths { "/auth/login" = auth, "/sessions" = tight, "/health" = unlimited }
                        auth { per-ip { rate = 0.1, burst = 12 } }
                        tight { per-principal { rate = 0.2, burst = 4 } }
                      }
                    }
                    """),
                List.of(new BlackHoleExtension())));
    return new EdgeFixture(node, node.tenant(tenantPrefix));
  }

  void close() throws Exception {
    node.close();
  }

  int port() {
    return node.port();
  }

  TestHttp anonymous() {
    return node.anonymous;
  }

  String ownOrigin() {
    return "http://127.0.0.1:" + port();
  }

  static void assertSecurityHeaders(TestHttp.Response response) {
    assertThat(response.header("X-Content-Type-Options")).as("%s", response).contains("nosniff");
    assertThat(response.header("X-Frame-Options")).as("%s", response).contains("DENY");
    assertThat(response.header("Referrer-Policy")).as("%s", response).contains("no-referrer");
    assertThat(response.header("Strict-Transport-Security")).as("%s", response).isEmpty();
  }

  /** With an allowlist every answer varies by Origin, exactly once. */
  static void assertVariesByOrigin(TestHttp.Response response) {
    assertThat(response.headers().allValues("Vary"))
        .as("%s", response)
        .filteredOn(v -> v.toLowerCase(Locale.ROOT).contains("origin"))
        .hasSize(1);
  }

  WsClient ws(String token, Consumer<WebSocket.Builder> customize) {
    return WsClient.connect(
        port(),
        b -> {
          b.header("Authorization", "Bearer " + token);
          customize.accept(b);
        },
        true);
  }

  /** Connects, retrying while an earlier test's connections are still being released. */
  WsClient awaitWs(String token, Consumer<WebSocket.Builder> customize) {
    WsClient[] client = new WsClient[1];
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              client[0] = ws(token, customize);
              return true;
            });
    return client[0];
  }

  /** The response to a refused handshake (fails when it is accepted); it has the edge headers. */
  java.net.http.HttpResponse<?> refusedHandshake(Consumer<WebSocket.Builder> customize) {
    try {
      WsClient accepted = WsClient.connect(port(), customize, true);
      accepted.close();
      throw new AssertionError("the handshake was accepted");
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      var response = ((WebSocketHandshakeException) e.getCause()).getResponse();
      assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      return response;
    }
  }

  int handshakeStatus(Consumer<WebSocket.Builder> customize) {
    return refusedHandshake(customize).statusCode();
  }

  /** The client address recorded on the session the device logged in with. */
  String sessionIp(String token, String device) {
    TestHttp.Response sessions = anonymous().as(token).get("/sessions");
    assertThat(sessions.status()).as("%s", sessions).isEqualTo(200);
    JsonNode list =
        sessions.json().has("sessions") ? sessions.json().get("sessions") : sessions.json();
    for (JsonNode session : list) {
      if (device.equals(session.path("device").asText())) {
        return session.path("ip").asText();
      }
    }
    throw new AssertionError("no session of device " + device + " in " + sessions);
  }

  record RawResponse(int status, String head, String body) {}

  /** An HTTP/1.1 POST over a plain socket whose local address is {@code from}. */
  RawResponse rawPost(String from, String path, String json, String... headerLines)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port()), 5000);
      socket.setSoTimeout(15000);
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      StringBuilder request =
          new StringBuilder()
              .append("POST ")
              .append(path)
              .append(" HTTP/1.1\r\n")
              .append("Host: 127.0.0.1:")
              .append(port())
              .append("\r\n")
              .append("Content-Type: application/json\r\n")
              .append("Content-Length: ")
              .append(body.length)
              .append("\r\n")
              .append("Connection: close\r\n");
      for (String line : headerLines) {
        request.append(line).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = text.substring(0, split);
      String rest = text.substring(split + 4);
      int status = Integer.parseInt(head.substring(9, 12));
      if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
        rest = dechunk(rest);
      }
      return new RawResponse(status, head, rest);
    }
  }

  private static String dechunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }
}
