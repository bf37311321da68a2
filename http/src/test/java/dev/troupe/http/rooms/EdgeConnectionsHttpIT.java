package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.EdgeFixture.ALLOWED;
import static dev.troupe.http.rooms.EdgeFixture.CONNECTION_RETRY_AFTER;
import static dev.troupe.http.rooms.EdgeFixture.EVIL;
import static dev.troupe.http.rooms.EdgeFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.Principal;
import dev.troupe.http.security.ConnectionLimits;
import dev.troupe.http.security.Protections;
import dev.troupe.http.testkit.SseReader;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge over real sockets, part three: the WebSocket Origin check, the per-user and per-address
 * caps on live connections (WebSockets and room SSE; 429 + Retry-After; IPv6 per /64; released when
 * a connection ends, or at the start timeout when it never starts) and the WebSocket message size
 * limit.
 */
class EdgeConnectionsHttpIT {

  @TempDir static Path dataDir;

  private static EdgeFixture edge;
  private static RoomsFixture.Tenant t;

  @BeforeAll
  static void start() throws Exception {
    edge = EdgeFixture.start(dataDir, "edge-conn");
    t = edge.t;
  }

  @AfterAll
  static void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
  }

  // ---- WebSocket Origin ----

  @Test
  void aWebSocketFromAForeignOrNullOriginIsRefusedBeforeTheUpgrade() throws Exception {
    for (String origin : List.of(EVIL, "null")) {
      assertThat(
              edge.handshakeStatus(
                  b ->
                      b.header("Authorization", "Bearer " + t.bobToken()).header("Origin", origin)))
          .as(origin)
          .isEqualTo(403);
    }
    for (String origin : List.of(ALLOWED, edge.ownOrigin())) {
      try (WsClient accepted = edge.awaitWs(t.bobToken(), b -> b.header("Origin", origin))) {
        assertThat(accepted.subprotocol()).isEmpty();
        assertRoundTrip(accepted);
      }
    }
    // no Origin, bearer token: not a browser, allowed
    try (WsClient noOrigin = edge.awaitWs(t.bobToken(), b -> {})) {
      assertRoundTrip(noOrigin);
    }
  }

  // ---- connection caps ----

  @Test
  void connectionsPastTheUserCapAreRefusedUntilOneCloses() throws Exception {
    String room = RoomsFixture.room(t);
    List<WsClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        open.add(edge.awaitWs(t.annToken(), b -> {}));
      }
      var refused = edge.refusedHandshake(b -> b.header("Authorization", "Bearer " + t.annToken()));
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).contains(CONNECTION_RETRY_AFTER);
      try (SseReader sse =
          SseReader.open(t.ann(), t.ann().request("/rooms/" + room + "/events").GET().build())) {
        assertThat(sse.status()).isEqualTo(429);
      }
      open.remove(0).close();
      // released when the connection ends: a new one is accepted again
      open.add(edge.awaitWs(t.annToken(), b -> {}));
      assertThat(edge.handshakeStatus(b -> b.header("Authorization", "Bearer " + t.annToken())))
          .isEqualTo(429);
    } finally {
      open.forEach(WsClient::close);
    }
    // SSE streams count too, and are released when they end
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<SseReader> streams = new ArrayList<>();
              try {
                for (int i = 0; i < 3; i++) {
                  SseReader sse =
                      SseReader.open(
                          t.ann(), t.ann().request("/rooms/" + room + "/events").GET().build());
                  streams.add(sse);
                  assertThat(sse.status()).isEqualTo(200);
                }
                assertThat(
                        edge.handshakeStatus(
                            b -> b.header("Authorization", "Bearer " + t.annToken())))
                    .isEqualTo(429);
              } finally {
                streams.forEach(SseReader::close);
              }
            });
  }

  @Test
  void connectionsPastTheAddressCapAreRefused() throws Exception {
    assertAddressCap(i -> "192.0.2.50", "192.0.2.51");
  }

  @Test
  void anIpv6ClientRotatingAddressesInsideItsSlash64IsOneAddress() throws Exception {
    assertAddressCap(i -> "2001:db8:9:9::" + Integer.toHexString(i + 1), "2001:db8:9:a::1");
  }

  @Test
  void aLeaseWhoseConnectionNeverStartsIsReleasedAfterTheStartTimeout() {
    // what a live route does before the upgrade; then the client goes away and nothing starts
    Protections protections = Protections.get(edge.node.node.system());
    Principal ghost = new Principal(RoomsFixture.unique("ghost"), t.org(), "s-ghost", Set.of());
    HttpRequest request = HttpRequest.create("/ws");
    List<ConnectionLimits.Lease> leases = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      leases.add(protections.connection(ghost, request).orElseThrow());
    }
    assertThatThrownBy(() -> protections.connection(ghost, request))
        .isInstanceOfSatisfying(
            IdentityException.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(5)));
    // connection-start-timeout is 2 s here
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsInstanceOf(IdentityException.class)
        .until(() -> protections.connection(ghost, request).map(leases::add).orElse(false));
    leases.forEach(ConnectionLimits.Lease::release);
  }

  // ---- message size ----

  @Test
  void anOversizeWebSocketMessageGetsTooLargeAndTheConnectionCloses() throws Exception {
    try (WsClient client = edge.awaitWs(t.bossToken(), b -> {})) {
      // the frame limit is max-message-size (1 KiB here) plus an envelope of 4 KiB
      client.send(
          "{\"type\":\"post\",\"room\":\"r\",\"ref\":\"big\",\"body\":{\"text\":\""
              + "x".repeat(6000)
              + "\"}}");
      client.expectError("too_large");
      assertThat(client.awaitClosed(WAIT).code()).isEqualTo(1000);
    }
  }

  // ---- helpers ----

  /** A frame goes both ways: the connection was really upgraded and is served. */
  private static void assertRoundTrip(WsClient client) throws InterruptedException {
    assertThat(client.isClosed()).isFalse();
    client.send("not json");
    client.expectError("bad_frame");
    assertThat(client.isClosed()).isFalse();
  }

  /**
   * Five connections (the per-address cap) from the addresses {@code from} gives for 0..4, by two
   * users (so the per-user cap of 3 is not what refuses); a sixth from {@code from(5)} is refused
   * 429 with Retry-After, one from {@code other} is accepted.
   */
  private static void assertAddressCap(java.util.function.IntFunction<String> from, String other) {
    List<WsClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        String token = i < 3 ? t.bossToken() : t.bobToken();
        open.add(edge.awaitWs(token, forwardedFor(from.apply(i))));
      }
      var refused =
          edge.refusedHandshake(
              b -> {
                b.header("Authorization", "Bearer " + t.annToken());
                forwardedFor(from.apply(5)).accept(b);
              });
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).contains(CONNECTION_RETRY_AFTER);
      // another address is fine
      open.add(edge.awaitWs(t.annToken(), forwardedFor(other)));
    } finally {
      open.forEach(WsClient::close);
    }
  }

  private static Consumer<WebSocket.Builder> forwardedFor(String address) {
    return b -> b.header("X-Forwarded-For", address);
  }
}
