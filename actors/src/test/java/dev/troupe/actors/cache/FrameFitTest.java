package dev.troupe.actors.cache;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameFitTest {

  private static final long MIB = 1024 * 1024;
  private static final long FRAME = 2 * MIB;

  private static NamespaceSettings namespace(boolean durable, long maxBytes) {
    return new NamespaceSettings(durable, Duration.ofMinutes(5), Duration.ofHours(1), 1000, maxBytes);
  }

  private static CacheSettings settings(long maxValue, NamespaceSettings defaults) {
    return new CacheSettings(
        64, maxValue, 256, 16, Duration.ofSeconds(10), Duration.ofSeconds(30), 4, defaults);
  }

  @Test
  void aValueAndANonDurableBucketThatFitPass() {
    assertThatCode(
            () ->
                FrameFit.check(
                    FRAME,
                    settings(MIB, namespace(true, 256 * MIB)),
                    Map.of("small", namespace(false, 64 * MIB))))
        .doesNotThrowAnyException();
  }

  @Test
  void aValueThatDoesNotFitIsRefused() {
    assertThatThrownBy(() -> FrameFit.check(FRAME, settings(2 * MIB, namespace(true, MIB)), Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("max-value-size");
  }

  @Test
  void aNonDurableNamespaceWhoseBucketShareDoesNotFitIsRefusedByName() {
    assertThatThrownBy(
            () ->
                FrameFit.check(
                    FRAME,
                    settings(MIB, namespace(true, 256 * MIB)),
                    Map.of("big", namespace(false, 256 * MIB))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("namespaces.\"big\".max-bytes");
  }

  @Test
  void nonDurableDefaultsAreCheckedToo() {
    assertThatThrownBy(() -> FrameFit.check(FRAME, settings(MIB, namespace(false, 256 * MIB)), Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("troupe.cache.max-bytes");
  }
}
