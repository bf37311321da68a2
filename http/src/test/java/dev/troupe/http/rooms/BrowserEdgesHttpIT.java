package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.RoomsFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.rooms.RoomsFixture.Tenant;
import dev.troupe.http.testkit.SseReader;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The edges of browser sessions over real sockets, on H2: logout once the access cookie has
 * expired, live streams opened with the cookie from another site or by navigation, where a ticket
 * is (not) accepted, an API key expiring beyond Pekko's longest timer, and no ticket in the logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserEdgesHttpIT {

  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir static Path dataDir;

  private final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();
  private RoomsFixture fixture;
  private Tenant t;

  @BeforeAll
  void start() throws Exception {
    fixture =
        RoomsFixture.h2(
            dataDir,
            ConfigFactory.parseString(
                """
                troupe.streams.heartbeat-interval = 300ms
                troupe.http.access-log = on
                """));
    t = fixture.tenant("edges");
    // The access log (INFO) and every warning or error of the node.
    ((Logger) LoggerFactory.getLogger("troupe.access")).setLevel(Level.INFO);
    accessLog.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(accessLog);
  }

  @AfterAll
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(accessLog);
    fixture.close();
  }

  private CookieSession ann() {
    return CookieSession.login(fixture.anonymous, "ann", "ann-password", t.org());
  }

  private SseReader sse(String pathAndQuery, String... headers) {
    return SseReader.get(fixture.anonymous, pathAndQuery, headers);
  }

  @Test
  void logoutWithAnExpiredAccessCookieEndsTheSessionByTheRefreshCookie() {
    CookieSession ann = ann();
    String refresh = ann.cookies.get("troupe_refresh");
    // A tab idle past the access token's life: the browser has dropped troupe_session.
    ann.cookies.remove("troupe_session");
    TestHttp.Response out = ann.post("/auth/logout", "{}");
    assertThat(out.status()).as("%s", out).isEqualTo(204);
    assertThat(CookieSession.setCookies(out)).hasSize(3).allSatisfy(c -> assertThat(c).contains("Max-Age=0"));
    assertThat(ann.cookies).isEmpty();
    // The session is over: its refresh cookie no longer renews it, and that 401 clears the cookies.
    TestHttp.Response again =
        fixture.anonymous.postJson(
            "/auth/refresh", "{}", "Cookie", "troupe_refresh=" + refresh + "; troupe_csrf=c", "X-CSRF-Token", "c");
    assertProblem(again, 401, "unauthenticated");
    TestHttp.Response late =
        fixture.anonymous.postJson(
            "/auth/logout", "{}", "Cookie", "troupe_refresh=" + refresh + "; troupe_csrf=c", "X-CSRF-Token", "c");
    assertProblem(late, 401, "unauthenticated");
    assertThat(CookieSession.setCookies(late)).hasSize(3).allSatisfy(c -> assertThat(c).contains("Max-Age=0"));
  }

  @Test
  void aCookieLogoutNeedsTheCsrfEcho() {
    CookieSession ann = ann();
    ann.cookies.remove("troupe_session");
    assertProblem(ann.postWith("/auth/logout", "{}"), 403, "forbidden");
    assertThat(ann.get("/rooms").status()).isEqualTo(401); // no access cookie: but the session lives
    assertThat(ann.post("/auth/refresh", "{}").status()).isEqualTo(200);
  }

  @Test
  void aCookieStreamOpenedCrossSiteOrByNavigationIsRefused() throws Exception {
    CookieSession ann = ann();
    String room = RoomsFixture.room(t);
    String path = "/rooms/" + room + "/events";
    String cookie = ann.cookieHeader();
    try (SseReader navigate =
        sse(path, "Cookie", cookie, "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Site", "cross-site")) {
      assertThat(navigate.status()).isEqualTo(403);
    }
    try (SseReader sameSite = sse(path, "Cookie", cookie, "Sec-Fetch-Mode", "cors", "Sec-Fetch-Site", "same-site")) {
      assertThat(sameSite.status()).isEqualTo(403);
    }
    TestHttp.Response refused =
        fixture.anonymous.get(path, "Cookie", cookie, "Sec-Fetch-Mode", "navigate", "Sec-Fetch-Site", "none");
    assertProblem(refused, 403, "forbidden");
    assertThat(refused.json().path("reason").asText()).isEqualTo("cross_site_stream");
    // The page's own EventSource (same origin) is fine, and so is a client without fetch metadata.
    try (SseReader own = sse(path, "Cookie", cookie, "Sec-Fetch-Mode", "cors", "Sec-Fetch-Site", "same-origin")) {
      assertThat(own.status()).isEqualTo(200);
      assertThat(own.next(WAIT).event()).isEqualTo("presence");
    }
    // A ticket is not a cookie: fetch metadata does not matter for it.
    try (SseReader ticketed = sse(path + "?ticket=" + ann.ticket(), "Sec-Fetch-Site", "cross-site")) {
      assertThat(ticketed.status()).isEqualTo(200);
    }
  }

  @Test
  void aTicketIsNotAcceptedOnAuditPagesOrOtherEventsPaths() throws Exception {
    CookieSession boss = CookieSession.login(fixture.anonymous, "boss", "boss-password", t.org());
    String ticket = boss.ticket();
    // An audit JSON page and an unknown .../events path take no ticket (and do not spend it).
    assertProblem(fixture.anonymous.get("/audit/account/ann/events?ticket=" + ticket), 401, "unauthenticated");
    assertProblem(fixture.anonymous.get("/rooms/a/b/events?ticket=" + ticket), 401, "unauthenticated");
    try (SseReader audit = sse("/audit/account/ann/events?ticket=" + ticket)) {
      assertThat(audit.status()).as(audit.raw()).isEqualTo(200);
    }
  }

  @Test
  void noTicketReachesTheLogs() throws Exception {
    CookieSession ann = ann();
    String room = RoomsFixture.room(t);
    String spent = ann.ticket();
    try (TicketSocket socket = TicketSocket.open(fixture.port(), spent)) {
      socket.joined(room);
    }
    String refused = ann.ticket();
    assertProblem(fixture.anonymous.get("/rooms?ticket=" + refused), 401, "unauthenticated");
    assertProblem(fixture.anonymous.get("/ws?ticket=" + spent), 401, "unauthenticated");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(logLines())
                    .anySatisfy(line -> assertThat(line).startsWith("GET /rooms 401")));
    assertThat(logLines())
        .anySatisfy(line -> assertThat(line).startsWith("GET /ws "))
        .allSatisfy(
            line ->
                assertThat(line).doesNotContain("ticket=").doesNotContain(spent).doesNotContain(refused));
  }

  @Test
  void aKeyExpiringInMoreThan248DaysOpensLiveConnections() throws Exception {
    // Pekko's scheduler refuses a delay beyond ~248 days: the expiry timer must wait in steps.
    assertThat(t.boss().postJson("/orgs/" + t.org() + "/projects", "{\"name\":\"long\"}").status()).isEqualTo(201);
    TestHttp.Response created =
        t.boss()
            .postJson(
                "/orgs/" + t.org() + "/projects/long/api-keys",
                "{\"name\":\"long\",\"scopes\":{\"routes\":[\"POST /auth/ws-ticket\",\"GET /ws\"],"
                    + "\"rooms\":[],\"namespaces\":[]},\"expires_in\":" + Duration.ofDays(400).toSeconds() + "}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String key = created.json().path("key").asText();
    TestHttp.Response issued = fixture.anonymous.postJson("/auth/ws-ticket", "{}", "Authorization", "ApiKey " + key);
    assertThat(issued.status()).as("%s", issued).isEqualTo(200);
    try (TicketSocket byTicket = TicketSocket.open(fixture.port(), issued.json().path("ticket").asText());
        TicketSocket byKey = TicketSocket.openWith(fixture.port(), "Authorization", "ApiKey " + key)) {
      byKey.send("{\"type\":\"join\",\"room\":\"nope\",\"ref\":\"r\"}");
      byKey.next(f -> "r".equals(f.path("ref").asText()), WAIT);
      byTicket.send("{\"type\":\"join\",\"room\":\"nope\",\"ref\":\"r\"}");
      byTicket.next(f -> "r".equals(f.path("ref").asText()), WAIT);
    }
  }

  private List<String> logLines() {
    synchronized (accessLog) { // the appender adds under its own lock
      return accessLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
