package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.rooms.RoomsFixture.Tenant;
import dev.troupe.http.testkit.SseReader;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live connection lives until its session's end ({@code max-lifetime}, 8 s here), whatever opened
 * it (a ticket, a bearer token, the session cookie), not the access token's: then its WebSocket
 * gets {@code session_expired} and closes, and its SSE stream ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionExpiryHttpIT {

  static final Duration LIFETIME = Duration.ofSeconds(8);

  @TempDir static Path dataDir;

  private RoomsFixture fixture;
  private Tenant t;

  @BeforeAll
  void start() throws Exception {
    fixture =
        RoomsFixture.h2(
            dataDir,
            ConfigFactory.parseString(
                """
                troupe.identity.sessions.max-lifetime = 8s
                troupe.streams.heartbeat-interval = 300ms
                """));
    t = fixture.tenant("expiry");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  @Test
  void ticketConnectionsCloseWhenTheSessionEndsNotBefore() throws Exception {
    TestHttp boss = fixture.anonymous.loggedIn("boss", "boss-password", t.org());
    String room = RoomsFixture.unique("room");
    assertThat(boss.putJson("/rooms/" + room, "{}").status()).isEqualTo(201);
    long loggedIn = System.nanoTime();
    CookieSession ann = CookieSession.login(fixture.anonymous, "ann", "ann-password", t.org());
    try (TicketSocket socket = TicketSocket.open(fixture.port(), ann.ticket());
        SseReader events =
            SseReader.open(
                fixture.anonymous,
                fixture.anonymous
                    .request("/rooms/" + room + "/events?ticket=" + ann.ticket(), "Accept", "text/event-stream")
                    .GET()
                    .build())) {
      socket.joined(room);
      assertThat(events.status()).isEqualTo(200);

      JsonNode error = socket.next(f -> "error".equals(f.path("type").asText()), LIFETIME.plusSeconds(5));
      Duration after = Duration.ofNanos(System.nanoTime() - loggedIn);
      assertThat(error.path("code").asText()).isEqualTo("session_expired");
      // Not early: at the session's end (its expiry is kept in whole seconds).
      assertThat(after).isGreaterThan(LIFETIME.minusSeconds(2));
      socket.awaitClosed(Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(2)).until(events::ended);
    }
  }

  @Test
  void bearerWebSocketAndCookieSseCloseWhenTheSessionEnds() throws Exception {
    TestHttp boss = fixture.anonymous.loggedIn("boss", "boss-password", t.org());
    String room = RoomsFixture.unique("room");
    assertThat(boss.putJson("/rooms/" + room, "{}").status()).isEqualTo(201);
    long loggedIn = System.nanoTime();
    TestHttp.Response login = fixture.anonymous.login("ann", "ann-password", t.org());
    assertThat(login.status()).as("%s", login).isEqualTo(200);
    String token = login.json().path("access_token").asText();
    CookieSession ann = CookieSession.login(fixture.anonymous, "ann", "ann-password", t.org());
    try (TicketSocket socket = TicketSocket.openWith(fixture.port(), "Authorization", "Bearer " + token);
        SseReader events =
            SseReader.open(
                fixture.anonymous,
                fixture.anonymous
                    .request(
                        "/rooms/" + room + "/events",
                        "Accept",
                        "text/event-stream",
                        "Cookie",
                        ann.cookieHeader(),
                        "Sec-Fetch-Site",
                        "same-origin")
                    .GET()
                    .build())) {
      socket.joined(room);
      assertThat(events.status()).isEqualTo(200);

      JsonNode error = socket.next(f -> "error".equals(f.path("type").asText()), LIFETIME.plusSeconds(5));
      Duration after = Duration.ofNanos(System.nanoTime() - loggedIn);
      assertThat(error.path("code").asText()).isEqualTo("session_expired");
      assertThat(after).isGreaterThan(LIFETIME.minusSeconds(2));
      socket.awaitClosed(Duration.ofSeconds(2));
      await().atMost(Duration.ofSeconds(3)).until(events::ended);
    }
  }
}
