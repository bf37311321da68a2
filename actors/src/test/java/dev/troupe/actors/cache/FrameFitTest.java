package dev.troupe.actors.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.actors.cache.bucket.BucketLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FrameFitTest {

  private static final long MIB = 1024 * 1024;
  private static final long FRAME = 2 * MIB;

  private static NamespaceSettings namespace(boolean durable, long maxBytes) {
    return new NamespaceSettings(durable, Duration.ofMinutes(5), Duration.ofHours(1), 1000, maxBytes);
  }

  private static CacheSettings settings(long maxValue) {
    return new CacheSettings(
        64, maxValue, 256, 16, Duration.ofSeconds(10), Duration.ofSeconds(30), 4, namespace(true, MIB));
  }

  @Test
  void aValueThatFitsPassesAndOneThatDoesNotIsRefused() {
    assertThatCode(() -> FrameFit.checkValues(FRAME, settings(MIB))).doesNotThrowAnyException();
    assertThatThrownBy(() -> FrameFit.checkValues(FRAME, settings(2 * MIB)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("max-value-size");
  }

  @Test
  void aDurableNamespaceSharesItsLimitsOverTheBuckets() {
    assertThat(FrameFit.limits(namespace(true, 256 * MIB), 64, FRAME))
        .isEqualTo(new BucketLimits(16, 4 * MIB));
  }

  @Test
  void aNonDurableBucketIsCappedToFitInAFrame() {
    assertThat(FrameFit.limits(namespace(false, 256 * MIB), 64, FRAME))
        .isEqualTo(new BucketLimits(16, FRAME - FrameFit.FRAME_OVERHEAD));
    assertThat(FrameFit.limits(namespace(false, 32 * MIB), 64, FRAME))
        .isEqualTo(new BucketLimits(16, MIB / 2));
  }
}
