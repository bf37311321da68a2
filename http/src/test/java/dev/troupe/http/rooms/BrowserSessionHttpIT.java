package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.RoomsFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.rooms.RoomsFixture.Tenant;
import dev.troupe.http.testkit.SseReader;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Browser sessions over real sockets, on H2: cookie-mode login and CSRF double submit, single-use
 * tickets for {@code /ws} and SSE, and live revocation closing a session's WebSocket and SSE
 * streams (room events and audit) within 2 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserSessionHttpIT {

  static final Duration WAIT = Duration.ofSeconds(15);
  static final Duration LIVE_CLOSE = Duration.ofSeconds(2);

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
                troupe.identity.tickets.ttl = 3s
                troupe.streams.heartbeat-interval = 300ms
                """));
    t = fixture.tenant("browser");
  }

  @AfterAll
  void stop() throws Exception {
    fixture.close();
  }

  private CookieSession ann() {
    return CookieSession.login(fixture.anonymous, "ann", "ann-password", t.org());
  }

  private SseReader sse(String pathAndQuery, String... headers) {
    return SseReader.get(fixture.anonymous, pathAndQuery, headers);
  }

  @Test
  void cookieLoginSetsHttpOnlyLaxCookiesAndKeepsTokensOutOfTheBody() {
    CookieSession ann = ann();
    JsonNode body = ann.login.json();
    assertThat(body.has("access_token")).isFalse();
    assertThat(body.has("refresh_token")).isFalse();
    assertThat(body.path("token_type").asText()).isEqualTo("cookie");
    assertThat(body.path("expires_in").asLong()).isPositive();
    assertThat(body.path("csrf_token").asText()).isEqualTo(ann.csrf()).hasSizeGreaterThanOrEqualTo(43);
    List<String> setCookies = CookieSession.setCookies(ann.login);
    String session = only(setCookies, "troupe_session=");
    assertThat(session).contains("HttpOnly", "SameSite=Lax", "Path=/").doesNotContain("Secure");
    String refresh = only(setCookies, "troupe_refresh=");
    assertThat(refresh).contains("HttpOnly", "SameSite=Strict", "Path=/auth").doesNotContain("Secure");
    String csrf = only(setCookies, "troupe_csrf=");
    assertThat(csrf).doesNotContain("HttpOnly").doesNotContain("Secure").contains("Path=/");
    assertThat(ann.login.header("Cache-Control")).contains("no-store");
  }

  private static String only(List<String> setCookies, String prefix) {
    List<String> matching = setCookies.stream().filter(c -> c.startsWith(prefix)).toList();
    assertThat(matching).as("Set-Cookie %s in %s", prefix, setCookies).hasSize(1);
    return matching.get(0);
  }

  @Test
  void cookieAuthenticatesReadsWithoutCsrf() {
    CookieSession ann = ann();
    assertThat(ann.get("/rooms").status()).isEqualTo(200);
    assertProblem(fixture.anonymous.get("/rooms"), 401, "unauthenticated");
  }

  @Test
  void stateChangingCookieRequestWithoutOrWithWrongCsrfIsForbidden() {
    CookieSession ann = ann();
    JsonNode missing = ann.postWith("/auth/ws-ticket", "{}").json();
    assertThat(missing.path("status").asInt()).isEqualTo(403);
    assertThat(missing.path("code").asText()).isEqualTo("forbidden");
    assertThat(missing.path("reason").asText()).isEqualTo("csrf");
    TestHttp.Response wrong = ann.postWith("/auth/ws-ticket", "{}", "X-CSRF-Token", ann.csrf() + "x");
    assertProblem(wrong, 403, "forbidden");
    TestHttp.Response empty = ann.postWith("/auth/ws-ticket", "{}", "X-CSRF-Token", "");
    assertProblem(empty, 403, "forbidden");
    TestHttp.Response right = ann.postWith("/auth/ws-ticket", "{}", "X-CSRF-Token", ann.csrf());
    assertThat(right.status()).as("%s", right).isEqualTo(200);
  }

  @Test
  void aBearerRequestIgnoresCookiesAndNeedsNoCsrf() {
    CookieSession ann = ann();
    TestHttp.Response response =
        t.ann().postJson("/auth/ws-ticket", "{}", "Cookie", ann.cookieHeader());
    assertThat(response.status()).as("%s", response).isEqualTo(200);
  }

  @Test
  void refreshInCookieModeNeedsCsrfAndRenewsTheCookies() {
    CookieSession ann = ann();
    String before = ann.cookies.get("troupe_refresh");
    assertProblem(ann.postWith("/auth/refresh", "{}"), 403, "forbidden");
    TestHttp.Response refreshed = ann.post("/auth/refresh", "{}");
    assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
    assertThat(refreshed.json().has("access_token")).isFalse();
    assertThat(ann.cookies.get("troupe_refresh")).isNotEqualTo(before);
    assertThat(ann.get("/rooms").status()).isEqualTo(200);
  }

  @Test
  void logoutClearsTheCookiesAndEndsTheSession() {
    CookieSession ann = ann();
    String oldCookies = ann.cookieHeader();
    TestHttp.Response out = ann.post("/auth/logout", "{}");
    assertThat(out.status()).as("%s", out).isEqualTo(204);
    List<String> cleared = CookieSession.setCookies(out);
    assertThat(cleared).hasSize(3).allSatisfy(c -> assertThat(c).contains("Max-Age=0"));
    assertThat(ann.cookies).isEmpty();
    assertProblem(fixture.anonymous.get("/rooms", "Cookie", oldCookies), 401, "unauthenticated");
  }

  @Test
  void aTicketOpensOneWebSocketOnlyOnce() throws Exception {
    CookieSession ann = ann();
    String room = RoomsFixture.room(t);
    TestHttp.Response issued = ann.post("/auth/ws-ticket", "{}");
    assertThat(issued.status()).isEqualTo(200);
    assertThat(issued.json().path("expires_in").asLong()).isEqualTo(3);
    assertThat(issued.header("Cache-Control")).contains("no-store");
    String ticket = issued.json().path("ticket").asText();
    try (TicketSocket socket = TicketSocket.open(fixture.port(), ticket)) {
      socket.joined(room);
    }
    assertProblem(fixture.anonymous.get("/ws?ticket=" + ticket), 401, "unauthenticated");
    assertThatThrownBy(() -> TicketSocket.open(fixture.port(), ticket)).hasStackTraceContaining("401");
  }

  @Test
  void forgedMalformedAndExpiredTicketsAreRefused() {
    String forged = "A".repeat(43);
    assertProblem(fixture.anonymous.get("/ws?ticket=" + forged), 401, "unauthenticated");
    assertProblem(fixture.anonymous.get("/ws?ticket=short"), 401, "unauthenticated");
    assertProblem(fixture.anonymous.get("/ws?ticket="), 401, "unauthenticated");
    // Tickets live 3 s here. Each probe spends one, so every poll uses a fresh one of a batch
    // issued together: the first is still good, and a later one is refused once, and only once,
    // its lifetime has passed.
    CookieSession ann = ann();
    long issuedFrom = System.nanoTime();
    Deque<String> batch = new ArrayDeque<>();
    for (int i = 0; i < 8; i++) {
      batch.add(ann.ticket());
    }
    assertThat(fixture.anonymous.get("/ws?ticket=" + batch.pop()).status()).isNotEqualTo(401);
    await()
        .pollDelay(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(7))
        .until(() -> fixture.anonymous.get("/ws?ticket=" + batch.pop()).status() == 401);
    assertThat(Duration.ofNanos(System.nanoTime() - issuedFrom)).isGreaterThan(Duration.ofMillis(2900));
  }

  @Test
  void aTicketIsNotAcceptedOnOtherPathsAndStaysUnspentThere() throws Exception {
    CookieSession ann = ann();
    String ticket = ann.ticket();
    assertProblem(fixture.anonymous.get("/rooms?ticket=" + ticket), 401, "unauthenticated");
    TestHttp.Response post =
        fixture.anonymous.postJson("/auth/ws-ticket?ticket=" + ticket, "{}");
    assertProblem(post, 401, "unauthenticated");
    // Not spent by those: it still opens the socket.
    try (TicketSocket socket = TicketSocket.open(fixture.port(), ticket)) {
      socket.joined(RoomsFixture.room(t));
    }
  }

  @Test
  void aTicketOpensRoomEventsOnce() throws Exception {
    CookieSession ann = ann();
    String room = RoomsFixture.room(t);
    String ticket = ann.ticket();
    try (SseReader events = sse("/rooms/" + room + "/events?ticket=" + ticket)) {
      assertThat(events.status()).isEqualTo(200);
      assertThat(events.next(WAIT).event()).isEqualTo("presence");
    }
    try (SseReader again = sse("/rooms/" + room + "/events?ticket=" + ticket)) {
      assertThat(again.status()).isEqualTo(401);
    }
  }

  @Test
  void revokingASessionClosesItsWebSocketAndSseStreamsWithinTwoSeconds() throws Exception {
    CookieSession ann = ann();
    CookieSession boss = CookieSession.login(fixture.anonymous, "boss", "boss-password", t.org());
    String room = RoomsFixture.room(t);
    try (TicketSocket socket = TicketSocket.open(fixture.port(), ann.ticket());
        SseReader roomEvents = sse("/rooms/" + room + "/events?ticket=" + ann.ticket());
        SseReader bossRoomEvents = sse("/rooms/" + room + "/events?ticket=" + boss.ticket());
        SseReader audit = sse("/audit/account/ann/events?ticket=" + boss.ticket())) {
      socket.joined(room);
      assertThat(roomEvents.status()).isEqualTo(200);
      assertThat(roomEvents.next(WAIT).event()).isEqualTo("presence");
      assertThat(audit.status()).as(audit.raw()).isEqualTo(200);

      String annTicket = ann.ticket();
      String annCookies = ann.cookieHeader();
      String annCsrf = ann.csrf();
      TestHttp.Response out = ann.post("/auth/logout", "{}");
      assertThat(out.status()).isEqualTo(204);
      long revokedAt = System.nanoTime();

      JsonNode error = socket.next(f -> "error".equals(f.path("type").asText()), LIVE_CLOSE);
      assertThat(error.path("code").asText()).isEqualTo("session_revoked");
      socket.awaitClosed(LIVE_CLOSE);
      // The room stream says why it ends (an `ended` event), then ends.
      SseReader.Event last = roomEvents.next(LIVE_CLOSE);
      while (!"ended".equals(last.event())) {
        last = roomEvents.next(LIVE_CLOSE);
      }
      assertThat(last.data()).contains("\"code\":\"session_revoked\"");
      await().atMost(LIVE_CLOSE).until(roomEvents::ended);
      assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofMillis(2500));
      // Another session's streams stay open.
      assertThat(bossRoomEvents.ended()).isFalse();
      assertThat(audit.ended()).isFalse();
      // A ticket issued before the revocation is void, and no new one is issued.
      assertProblem(fixture.anonymous.get("/ws?ticket=" + annTicket), 401, "unauthenticated");
      assertProblem(
          fixture.anonymous.postJson("/auth/ws-ticket", "{}", "Cookie", annCookies, "X-CSRF-Token", annCsrf),
          401,
          "unauthenticated");
      try (SseReader reconnect = sse("/rooms/" + room + "/events", "Cookie", annCookies)) {
        assertThat(reconnect.status()).isEqualTo(401);
      }

      boss.post("/auth/logout", "{}");
      await().atMost(LIVE_CLOSE).until(audit::ended);
      await().atMost(LIVE_CLOSE).until(bossRoomEvents::ended);
    }
  }
}
