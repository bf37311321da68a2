package dev.troupe.http.rooms;

import static dev.troupe.http.rooms.EdgeFixture.assertSecurityHeaders;
import static dev.troupe.http.rooms.RoomsFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edge over real sockets, part two: per-IP and per-user rate limits with 429 + Retry-After, and
 * the client address behind a trusted proxy (127.0.0.1 is trusted here; a peer on 127.0.0.2 is
 * not), IPv6 clients limited per /64.
 */
class EdgeRateLimitsHttpIT {

  @TempDir static Path dataDir;

  private static EdgeFixture edge;
  private static RoomsFixture.Tenant t;

  @BeforeAll
  static void start() throws Exception {
    edge = EdgeFixture.start(dataDir, "edge-rate");
    t = edge.t;
  }

  @AfterAll
  static void stop() throws Exception {
    if (edge != null) {
      edge.close();
    }
  }

  @Test
  void aLoginFloodFromOneAddressGets429WithRetryAfterBeforeAuthentication() {
    String flooder = "203.0.113.77";
    TestHttp.Response limited = floodLogin(flooder, flooder);
    assertThat(limited.json().path("detail").asText()).contains("this address");
    long retryAfter = Long.parseLong(limited.header("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 10L);
    assertSecurityHeaders(limited);
    assertThat(limited.header("X-Request-Id")).isPresent();

    // another address is not affected, nor are other groups from the flooder's address
    assertThat(login("203.0.113.78").status()).isEqualTo(400);
    assertThat(edge.anonymous().get("/health/ready", "X-Forwarded-For", flooder).status())
        .isEqualTo(200);
  }

  @Test
  void anIpv6ClientIsLimitedPerSlash64() {
    // every request from another address of the same /64: still one bucket
    floodLogin("2001:db8:5:6::1", "2001:db8:5:6::%x");
    assertThat(login("2001:db8:5:6:ffff::1").status()).isEqualTo(429);
    // the next /64 is another client
    assertThat(login("2001:db8:5:7::1").status()).isEqualTo(400);
  }

  @Test
  void aUserPastItsLimitGets429WhileAnotherUserFromTheSameAddressDoesNot() {
    List<Integer> statuses = new ArrayList<>();
    TestHttp.Response limited = null;
    for (int i = 0; i < 20 && limited == null; i++) {
      TestHttp.Response response = t.ann().get("/sessions");
      statuses.add(response.status());
      if (response.status() == 429) {
        limited = response;
      }
    }
    assertThat(limited).as("statuses %s", statuses).isNotNull();
    assertThat(statuses.subList(0, statuses.size() - 1)).hasSize(4).allMatch(s -> s == 200);
    assertProblem(limited, 429, "too_many_requests");
    assertThat(limited.json().path("detail").asText()).contains("this user");
    assertThat(Long.parseLong(limited.header("Retry-After").orElseThrow())).isBetween(1L, 5L);
    assertSecurityHeaders(limited);
    // same address, other user: its own bucket
    assertThat(t.bob().get("/sessions").status()).isEqualTo(200);
    // other groups of the same user are not limited by this one
    assertThat(t.ann().get("/rooms").status()).isEqualTo(200);
  }

  @Test
  void forwardedForIsBelievedFromATrustedProxyOnly() throws Exception {
    String body =
        "{\"username\":\"boss\",\"password\":\"boss-password\",\"org\":\""
            + t.org()
            + "\",\"device\":\"%s\"}";

    // from 127.0.0.1 (trusted proxy): the forwarded address
    TestHttp.Response viaProxy =
        edge.anonymous()
            .postJson(
                "/auth/login",
                body.formatted("via-proxy"),
                "X-Forwarded-For",
                "6.6.6.6, 198.51.100.23");
    assertThat(viaProxy.status()).as("%s", viaProxy).isEqualTo(200);
    assertThat(edge.sessionIp(viaProxy.json().get("access_token").asText(), "via-proxy"))
        .isEqualTo("198.51.100.23");

    // from 127.0.0.2 (not trusted): the spoofed header changes nothing
    EdgeFixture.RawResponse direct =
        edge.rawPost(
            "127.0.0.2", "/auth/login", body.formatted("direct"), "X-Forwarded-For: 198.51.100.24");
    assertThat(direct.status()).as(direct.body()).isEqualTo(200);
    String token = TestHttp.JSON.readTree(direct.body()).get("access_token").asText();
    assertThat(edge.sessionIp(token, "direct")).isEqualTo("127.0.0.2");
  }

  /**
   * Posts unparsable logins (a 400 once past the limit check; a failed login would trip the account
   * throttles) forwarded for {@code addressFormat} (formatted with the attempt number) until one is
   * limited: exactly the burst (12) gets through. Answers the 429.
   */
  private static TestHttp.Response floodLogin(String flooder, String addressFormat) {
    List<Integer> statuses = new ArrayList<>();
    TestHttp.Response limited = null;
    for (int i = 0; i < 30 && limited == null; i++) {
      TestHttp.Response response = login(addressFormat.formatted(i + 1));
      statuses.add(response.status());
      if (response.status() == 429) {
        limited = response;
      }
    }
    assertThat(limited).as("%s: statuses %s", flooder, statuses).isNotNull();
    assertThat(statuses.subList(0, statuses.size() - 1)).hasSize(12).allMatch(s -> s == 400);
    assertProblem(limited, 429, "too_many_requests");
    return limited;
  }

  private static TestHttp.Response login(String forwardedFor) {
    return edge.anonymous().postJson("/auth/login", "{", "X-Forwarded-For", forwardedFor);
  }
}
