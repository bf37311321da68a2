package dev.troupe.actors.identity.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.identity.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The verified-token cache stays bounded and forgets tokens when they expire. */
class VerifiedTokensTest {

  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  private static final Principal ALICE = new Principal("alice", "acme", "s1", Set.of());

  private final AtomicLong nanos = new AtomicLong();
  private final VerifiedTokens cache =
      new VerifiedTokens(10, nanos::get, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void returnsWhatWasPut() {
    Verified verified = new Verified(ALICE, NOW.plusSeconds(60));
    cache.put("token-a", verified);

    assertThat(cache.cached("token-a", NOW)).contains(verified);
    assertThat(cache.cached("token-b", NOW)).isEmpty();
  }

  @Test
  void isBounded() {
    for (int i = 0; i < 1000; i++) {
      cache.put("token-" + i, new Verified(ALICE, NOW.plusSeconds(60)));
    }

    assertThat(cache.size()).isLessThanOrEqualTo(10);
  }

  @Test
  void entriesExpireWithTheirToken() {
    cache.put("short", new Verified(ALICE, NOW.plusSeconds(10)));
    cache.put("long", new Verified(ALICE, NOW.plusSeconds(600)));

    nanos.addAndGet(Duration.ofSeconds(11).toNanos());

    assertThat(cache.cached("short", NOW.plusSeconds(11))).isEmpty();
    assertThat(cache.cached("long", NOW.plusSeconds(11))).isPresent();
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void neverAnswersForATokenExpiredAtTheGivenTime() {
    cache.put("token", new Verified(ALICE, NOW.plusSeconds(10)));

    assertThat(cache.cached("token", NOW.plusSeconds(10))).isEmpty();
    assertThat(cache.size()).isZero();
  }

  @Test
  void ignoresOverlongTokens() {
    String huge = "x".repeat(TokenVerifier.MAX_TOKEN_LENGTH + 1);
    cache.put(huge, new Verified(ALICE, NOW.plusSeconds(10)));

    assertThat(cache.cached(huge, NOW)).isEmpty();
    assertThat(cache.size()).isZero();
  }
}
