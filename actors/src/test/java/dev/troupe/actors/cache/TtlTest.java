package dev.troupe.actors.cache;

import static dev.troupe.actors.cache.CacheKeysTest.assertKind;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ttl texts and the namespace bounds they are checked against. */
class TtlTest {

  private static final NamespaceSettings NS =
      new NamespaceSettings(true, Duration.ofHours(1), Duration.ofDays(30), 100, 1000);

  @Test
  void parsesEveryUnit() {
    assertThat(Ttl.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Ttl.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Ttl.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Ttl.parse("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(Ttl.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Ttl.parse("007s")).isEqualTo(Duration.ofSeconds(7));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "10", "s", "-1s", "+1s", "1.5s", "10 s", " 10s", "10S", "10sec", "1w", "0s", "0ms",
        "1s1s", "1000000000000000000d", "999999999999999999d", "١٠s"
      })
  void refusesGarbage(String text) {
    assertKind(() -> Ttl.parse(text), CacheException.Kind.INVALID);
  }

  @Test
  void refusesNull() {
    assertKind(() -> Ttl.parse(null), CacheException.Kind.INVALID);
  }

  @Test
  void resolvesTheDefaultAndEnforcesTheMaximum() {
    assertThat(Ttl.resolve(Optional.empty(), NS)).isEqualTo(Duration.ofHours(1));
    assertThat(Ttl.resolve(Optional.of(Duration.ofDays(30)), NS)).isEqualTo(Duration.ofDays(30));
    assertThat(Ttl.resolve(Optional.of(Duration.ofMillis(1)), NS)).isEqualTo(Duration.ofMillis(1));

    assertKind(
        () -> Ttl.resolve(Optional.of(Duration.ofDays(30).plusMillis(1)), NS),
        CacheException.Kind.INVALID);
    assertKind(() -> Ttl.resolve(Optional.of(Duration.ZERO), NS), CacheException.Kind.INVALID);
    assertKind(
        () -> Ttl.resolve(Optional.of(Duration.ofSeconds(-1)), NS), CacheException.Kind.INVALID);
  }

  @Test
  void formatsTheShortestExactText() {
    assertThat(Ttl.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Ttl.format(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(Ttl.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Ttl.parse(Ttl.format(Duration.ofHours(5)))).isEqualTo(Duration.ofHours(5));
  }
}
