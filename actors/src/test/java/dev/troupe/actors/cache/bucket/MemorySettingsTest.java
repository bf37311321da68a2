package dev.troupe.actors.cache.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The memory bucket's start-up settings come from troupe.cache.memory and are checked. */
class MemorySettingsTest {

  @Test
  void readsTheDefaultsAndOverrides() {
    assertThat(MemorySettings.fromConfig(ConfigFactory.load()))
        .isEqualTo(new MemorySettings(Duration.ofSeconds(3), 1000));
    var custom =
        ConfigFactory.parseString("troupe.cache.memory { read-timeout = 500ms, stash-size = 7 }")
            .withFallback(ConfigFactory.load());
    assertThat(MemorySettings.fromConfig(custom))
        .isEqualTo(new MemorySettings(Duration.ofMillis(500), 7));
  }

  @Test
  void refusesNonPositiveValuesAndMissingKeys() {
    assertThatThrownBy(() -> settings("read-timeout = 0s, stash-size = 10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("troupe.cache.memory.read-timeout");
    assertThatThrownBy(() -> settings("read-timeout = 1s, stash-size = 0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("troupe.cache.memory.stash-size");
    assertThatThrownBy(() -> settings("read-timeout = 1s"))
        .isInstanceOf(ConfigException.Missing.class);
  }

  private static MemorySettings settings(String memory) {
    return MemorySettings.fromConfig(
        ConfigFactory.parseString("troupe.cache.memory { " + memory + " }"));
  }
}
