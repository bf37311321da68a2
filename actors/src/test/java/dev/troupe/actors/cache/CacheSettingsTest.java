package dev.troupe.actors.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** troupe.cache read from configuration: the shipped defaults, namespace overlays, bad values. */
class CacheSettingsTest {

  private static Config with(String overrides) {
    return ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve();
  }

  @Test
  void readsTheShippedDefaults() {
    CacheSettings settings = CacheSettings.from(ConfigFactory.load());

    assertThat(settings.buckets()).isEqualTo(64);
    assertThat(settings.maxValueBytes()).isEqualTo(1024 * 1024);
    assertThat(settings.maxKeyBytes()).isEqualTo(256);
    assertThat(settings.maxTags()).isEqualTo(16);
    assertThat(settings.leaseTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.sweepInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.sweepWorkers()).isEqualTo(4);
    assertThat(settings.defaults())
        .isEqualTo(
            new NamespaceSettings(
                true, Duration.ofHours(1), Duration.ofDays(30), 100_000, 256L * 1024 * 1024));
  }

  @Test
  void shipsTheResponseCacheNamespaceAsNotDurable() {
    Config config = ConfigFactory.load();
    Map<String, NamespaceSettings> declared = NamespaceSettings.declaredIn(config);

    String ns = config.getString("troupe.cache.response-cache.namespace");
    assertThat(declared.get(ns))
        .isEqualTo(
            new NamespaceSettings(
                false, Duration.ofMinutes(5), Duration.ofDays(30), 100_000, 32L * 1024 * 1024));
    assertThat(config.getBytes("troupe.cache.response-cache.max-body-size")).isEqualTo(256 * 1024);
  }

  @Test
  void overlaysANamespaceBlockOnTheDefaults() {
    Config config =
        with(
            """
            troupe.cache.durable = off
            troupe.cache.namespaces {
              "sessions.v2" { durable = on, max-ttl = 2h, max-entries = 10 }
            }
            """);

    Map<String, NamespaceSettings> declared = NamespaceSettings.declaredIn(config);

    assertThat(declared.get("sessions.v2"))
        .isEqualTo(
            new NamespaceSettings(
                true, Duration.ofHours(1), Duration.ofHours(2), 10, 256L * 1024 * 1024));
    assertThat(NamespaceSettings.defaultsFrom(config).durable()).isFalse();
    assertThat(declared.get("http-responses").durable()).isFalse();
  }

  @Test
  void bucketOfIsFloorModOfTheKeysHash() {
    CacheSettings settings = CacheSettings.from(with("troupe.cache.buckets = 7"));
    // "polygenelubricants".hashCode() is Integer.MIN_VALUE: floorMod keeps it non-negative.
    assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
    assertThat(settings.bucketOf("polygenelubricants")).isEqualTo(Math.floorMod(Integer.MIN_VALUE, 7));
    assertThat(settings.bucketOf("a")).isEqualTo("a".hashCode() % 7);
  }

  @Test
  void refusesBadValues() {
    assertThatThrownBy(() -> CacheSettings.from(with("troupe.cache.buckets = 0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("buckets");
    assertThatThrownBy(() -> CacheSettings.from(with("troupe.cache.buckets = 5000")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CacheSettings.from(with("troupe.cache.sweep-workers = 0")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CacheSettings.from(with("troupe.cache.lease-timeout = 0s")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CacheSettings.from(with("troupe.cache.max-ttl = 1m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-ttl");
    assertThatThrownBy(
            () -> NamespaceSettings.declaredIn(with("troupe.cache.namespaces.\"Bad\" { durable = off }")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Bad");
    assertThatThrownBy(
            () -> NamespaceSettings.declaredIn(with("troupe.cache.namespaces.x { max-entries = 0 }")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"x\"");
  }
}
