package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe.http.protections.enabled = off} (benchmarks only): no security or CORS headers, no
 * rate limits, no Origin checks, no connection caps; authentication still applies.
 */
class EdgeProtectionsOffHttpIT {

  @TempDir static Path dataDir;

  private static RoomsFixture fixture;
  private static RoomsFixture.Tenant t;

  @BeforeAll
  static void start() throws Exception {
    fixture =
        RoomsFixture.h2(
            dataDir,
            ConfigFactory.parseString(
                """
                troupe.http.protections {
                  enabled = off
                  max-connections-per-user = 1
                  rate-limits.default { per-ip { rate = 0.1, burst = 2 }, per-principal { rate = 0.1, burst = 2 } }
                }
                """));
    t = fixture.tenant("edge-off");
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void nothingIsLimitedOrAddedButAuthenticationStays() throws Exception {
    for (int i = 0; i < 10; i++) {
      TestHttp.Response response = t.ann().get("/rooms", "Origin", "https://evil.example");
      assertThat(response.status()).as("%s", response).isEqualTo(200);
      assertThat(response.header("X-Content-Type-Options")).isEmpty();
      assertThat(response.header("Access-Control-Allow-Origin")).isEmpty();
    }
    assertThat(
            t.boss()
                .putJson(
                    "/rooms/" + RoomsFixture.unique("room"), "{}", "Origin", "https://evil.example")
                .status())
        .isEqualTo(201);
    assertThat(fixture.anonymous.get("/rooms").status()).isEqualTo(401);
    try (WsClient one =
            WsClient.connect(
                fixture.port(),
                b ->
                    b.header("Authorization", "Bearer " + t.annToken())
                        .header("Origin", "https://evil.example"),
                true);
        WsClient two = WsClient.connect(fixture.port(), t.annToken())) {
      assertThat(one.isClosed()).isFalse();
      assertThat(two.isClosed()).isFalse();
    }
  }
}
