package dev.troupe.samples.chat;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.NodeRuntime;
import dev.troupe.persistence.TroupeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat sample end to end in headless Chromium (Debian's, installed by the samples' build):
 * two people in two browser contexts sign in, chat and see each other online; one loses the
 * network, the other writes on; back online, the first sees exactly what it missed, in order, once,
 * and everyone sees the leave and the return. The page logs in with the session cookie (HttpOnly,
 * out of the script's reach) and opens every WebSocket with a fresh single-use ticket. The access
 * token lives 12 s here, so the reconnect runs on refreshed cookies.
 */
class ChatBrowserIT {

  private static final String ADMIN_PASSWORD = "chat-admin-password";
  private static final double WAIT_MS = 30_000;

  @TempDir static Path dataDir;

  private static NodeRuntime node;
  private static String base;
  private static String org;
  private static HeadlessChromium chromium;
  private static Browser browser;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    assumeFalse(Boolean.getBoolean("troupe.skipBrowserTests"), "browser tests skipped");
    var overrides =
        ConfigFactory.parseMap(
            Map.of(
                "troupe.data-dir", dataDir.toString(),
                "troupe.http.port", 0,
                "pekko.remote.artery.canonical.port", 0,
                "troupe.cluster.management.enabled", false,
                "pekko.coordinated-shutdown.exit-jvm", false,
                "troupe.identity.admin.username", "admin",
                "troupe.identity.admin.password", ADMIN_PASSWORD,
                "troupe.identity.passwords.memory-kib", 1024,
                "troupe.identity.passwords.iterations", 1,
                "troupe.identity.tokens.access-token-ttl", "12s"))
            // A ticket must not outlive a revocation entry (access-token-ttl): checked at startup.
            .withFallback(ConfigFactory.parseMap(Map.of("troupe.identity.tickets.ttl", "10s")));
    node = NodeRuntime.start(TroupeConfig.load(overrides), List.of(new ChatExtension()));
    base = "http://127.0.0.1:" + node.httpPort();

    org = "chat-" + UUID.randomUUID().toString().substring(0, 8);
    String admin = login("admin", ADMIN_PASSWORD, null);
    var created =
        send(post("/orgs", "{\"name\":\"" + org + "\",\"admin\":{\"username\":\"boss\",\"password\":\"boss-password\"}}", admin));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String boss = login("boss", "boss-password", org);
    var ann = send(post("/orgs/" + org + "/users", "{\"username\":\"ann\",\"password\":\"ann-password\"}", boss));
    assertThat(ann.statusCode()).as(ann.body()).isEqualTo(201);

    long launching = System.nanoTime();
    chromium = new HeadlessChromium();
    browser = chromium.browser;
    System.out.printf("ChatBrowserIT: chromium %s up in %d ms%n", browser.version(), ms(launching));
    PlaywrightAssertions.setDefaultAssertionTimeout(WAIT_MS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (chromium != null) chromium.close();
    if (node != null) {
      node.system().terminate();
      node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theClientAndThePageAreServedWithoutAToken() throws Exception {
    var script = send(HttpRequest.newBuilder(URI.create(base + "/client/troupe.js")).GET());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/javascript"));
    assertThat(script.headers().firstValue("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("max-age"));
    assertThat(script.body()).contains("TroupeRooms");

    var page = send(HttpRequest.newBuilder(URI.create(base + "/samples/chat/")).GET());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.body()).contains("/client/troupe.js");

    var bare = send(HttpRequest.newBuilder(URI.create(base + "/samples/chat")).GET());
    assertThat(bare.statusCode()).isEqualTo(301);
    assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/samples/chat/"));
    // Only the page is public: the rooms behind it are not.
    assertThat(send(HttpRequest.newBuilder(URI.create(base + "/rooms")).GET()).statusCode()).isEqualTo(401);
  }

  @Test
  void twoPeopleChatAndTheOneWhoWasOfflineSeesExactlyWhatItMissed() {
    Person boss = new Person("boss", "boss-password");
    Person ann = new Person("ann", "ann-password");
    try {
      long t0 = System.nanoTime();
      boss.signIn();
      boss.page.fill("#room-name", "lobby");
      boss.page.click("#create-room");
      assertThat(boss.page.locator("#room-title")).hasText("# lobby");
      assertThat(boss.page.locator("#rooms li[data-room='lobby']")).hasCount(1);
      assertThat(boss.page.locator("#status")).hasAttribute("data-state", "open");
      assertThat(boss.online("boss")).hasCount(1);
      boss.say("welcome");

      // ann is no org admin: she joins by name, live from the head, and reads what came before
      // over HTTP.
      ann.signIn();
      ann.page.fill("#room-name", "lobby");
      ann.page.press("#room-name", "Enter");
      assertThat(ann.page.locator("#status")).hasAttribute("data-state", "open");
      assertThat(ann.messages()).hasCount(1);
      assertThat(ann.messages().first().locator(".text")).hasText("welcome");
      for (Person p : List.of(boss, ann)) {
        assertThat(p.online("boss")).hasCount(1);
        assertThat(p.online("ann")).hasCount(1);
        assertThat(p.page.locator("#online-count")).hasText("2");
      }
      System.out.printf("ChatBrowserIT: both signed in and joined in %d ms%n", ms(t0));

      // Typing is an ephemeral signal; messages carry sender and time.
      boss.page.locator("#compose").pressSequentially("hel");
      assertThat(ann.page.locator("#typing")).hasText("boss is typing…");
      boss.page.locator("#compose").fill("");
      ann.say("hello from ann");
      boss.say("hi ann");
      for (Person p : List.of(boss, ann)) {
        assertThat(p.messages()).hasCount(3);
        assertThat(p.messages().locator(".text")).containsText(new String[] {"welcome", "hello from ann", "hi ann"});
        assertThat(p.messages().locator(".sender")).containsText(new String[] {"boss", "ann", "boss"});
        assertThat(p.messages().first().locator("time")).hasAttribute("datetime", Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT"));
      }

      // The 12 s access token is refreshed before it expires; the reconnect below runs on the new one.
      ann.page.waitForFunction(
          "() => Number(document.body.dataset.refreshes || 0) >= 1",
          null,
          new Page.WaitForFunctionOptions().setTimeout(WAIT_MS));

      long offline = System.nanoTime();
      ann.goOffline();
      assertThat(ann.page.locator("#status")).hasAttribute("data-state", "reconnecting");
      assertThat(boss.online("ann")).hasCount(0);
      assertThat(boss.page.locator("#online-count")).hasText("1");
      System.out.printf("ChatBrowserIT: boss saw ann leave %d ms after she went offline%n", ms(offline));

      List<String> missed = IntStream.rangeClosed(1, 5).mapToObj(i -> "missed " + i).toList();
      for (int i = 0; i < missed.size(); i++) {
        boss.say(missed.get(i));
        assertThat(boss.messages()).hasCount(4 + i);
      }
      // Nothing reaches ann while she is offline, and her page does not pretend she can post.
      assertThat(ann.messages()).hasCount(3);
      assertThat(ann.page.locator("#compose")).isDisabled();

      long back = System.nanoTime();
      ann.goOnline();
      assertThat(ann.page.locator("#status")).hasAttribute("data-state", "open");
      assertThat(ann.messages()).hasCount(8);
      System.out.printf("ChatBrowserIT: ann caught up %d ms after coming back%n", ms(back));
      assertThat(boss.online("ann")).hasCount(1);
      assertThat(boss.page.locator("#online-count")).hasText("2");
      assertThat(ann.online("boss")).hasCount(1);
      assertThat(ann.online("ann")).hasCount(1);

      // A marker after the catch-up: anything duplicated or late would sit before it.
      boss.say("after return");
      assertThat(ann.messages()).hasCount(9);
      List<String> expected = new ArrayList<>(List.of("welcome", "hello from ann", "hi ann"));
      expected.addAll(missed);
      expected.add("after return");
      assertThat(ann.texts()).containsExactlyElementsOf(expected);
      assertThat(ann.offsets()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(boss.texts()).containsExactlyElementsOf(expected);

      ann.page.fill("#compose", "back again");
      ann.page.press("#compose", "Enter");
      assertThat(boss.messages().last().locator(".text")).hasText("back again");
      assertThat(boss.messages().last().locator(".sender")).hasText("ann");
      assertThat(ann.messages()).hasCount(10);

      assertThat(boss.errors).as("script errors in boss's page").isEmpty();
      assertThat(ann.errors).as("script errors in ann's page").isEmpty();
      System.out.printf("ChatBrowserIT: whole scenario %d ms%n", ms(t0));
    } finally {
      boss.close();
      ann.close();
    }
  }

  /** One person: a browser context of their own, whose WebSocket can be cut like a lost network. */
  private static final class Person {
    final String username;
    final String password;
    final BrowserContext context;
    final Page page;
    final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile boolean offline;
    private final List<WebSocketRoute> sockets = new CopyOnWriteArrayList<>();

    Person(String username, String password) {
      this.username = username;
      this.password = password;
      this.context = browser.newContext();
      // Chromium keeps an open WebSocket through setOffline, so the socket is cut here, and
      // reconnects are refused while "offline" (Playwright runs this only inside its own calls).
      context.routeWebSocket(
          url -> url.contains("/ws?ticket="),
          ws -> {
            if (offline) {
              ws.close(new WebSocketRoute.CloseOptions().setCode(4000).setReason("offline"));
            } else {
              sockets.add(ws.connectToServer());
              sockets.add(ws);
            }
          });
      this.page = context.newPage();
      page.onPageError(errors::add);
      page.onConsoleMessage(m -> System.out.printf("[%s console] %s%n", username, m.text()));
    }

    void signIn() {
      page.navigate(base + "/samples/chat/");
      page.fill("#login-org", org);
      page.fill("#login-username", username);
      page.fill("#login-password", password);
      page.click("#login-submit");
      assertThat(page.locator("#chat-view")).isVisible();
      assertThat(page.locator("#rooms-error")).hasText("");
      // Cookie mode: the page reads the CSRF cookie but never the session or refresh token.
      String cookies = String.valueOf(page.evaluate("() => document.cookie"));
      assertThat(cookies).contains("troupe_csrf=").doesNotContain("troupe_session").doesNotContain("troupe_refresh");
      List<Cookie> all = context.cookies();
      assertThat(all.stream().filter(c -> c.name.equals("troupe_session")).toList())
          .singleElement()
          .satisfies(c -> assertThat(c.httpOnly).isTrue());
    }

    void say(String text) {
      page.fill("#compose", text);
      page.press("#compose", "Enter");
      assertThat(messages().last().locator(".text")).hasText(text, new LocatorAssertions.HasTextOptions().setTimeout(WAIT_MS));
    }

    Locator messages() {
      return page.locator("#messages li.message");
    }

    Locator online(String user) {
      return page.locator("#online li[data-user='" + user + "']");
    }

    List<String> texts() {
      return messages().locator(".text").allTextContents();
    }

    List<Long> offsets() {
      Object offsets = messages().evaluateAll("items => items.map(i => i.dataset.offset)");
      return ((List<?>) offsets).stream().map(o -> Long.parseLong(o.toString())).toList();
    }

    void goOffline() {
      offline = true;
      context.setOffline(true);
      for (WebSocketRoute ws : sockets) {
        ws.close(new WebSocketRoute.CloseOptions().setCode(4000).setReason("offline"));
      }
      sockets.clear();
    }

    void goOnline() {
      offline = false;
      context.setOffline(false);
    }

    void close() {
      try {
        context.close();
      } catch (NullPointerException e) {
        if (!HeadlessChromium.routedSocketBug(e)) throw e;
      }
    }
  }

  private static long ms(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder post(String path, String body, String token) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String login(String username, String password, String inOrg) throws Exception {
    String orgField = inOrg == null ? "" : ",\"org\":\"" + inOrg + "\"";
    var response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"" + orgField + "}")));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body()).get("access_token").asText();
  }
}
