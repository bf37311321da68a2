package dev.troupe.actors.identity.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The default login policy, as configured in reference.conf. */
class LoginPolicyTest {

  private static final LoginPolicy POLICY = LoginPolicy.from(ConfigFactory.load());
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void readsTheDefaults() {
    assertThat(POLICY)
        .isEqualTo(
            new LoginPolicy(
                3,
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                10,
                Duration.ofMinutes(15),
                Duration.ofMinutes(15)));
  }

  @Test
  void freeAttemptsThenDoublingBackOffCappedThenLockout() {
    assertThat(POLICY.delayAfter(0)).isZero();
    assertThat(POLICY.delayAfter(1)).isZero();
    assertThat(POLICY.delayAfter(3)).isZero();
    assertThat(POLICY.delayAfter(4)).isEqualTo(Duration.ofSeconds(1));
    assertThat(POLICY.delayAfter(5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(POLICY.delayAfter(6)).isEqualTo(Duration.ofSeconds(4));
    assertThat(POLICY.delayAfter(7)).isEqualTo(Duration.ofSeconds(8));
    assertThat(POLICY.delayAfter(8)).isEqualTo(Duration.ofSeconds(16));
    assertThat(POLICY.delayAfter(9)).isEqualTo(Duration.ofSeconds(30));
    assertThat(POLICY.delayAfter(10)).isEqualTo(Duration.ofMinutes(15));
    assertThat(POLICY.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
    assertThat(POLICY.lockedUntil(3, T0)).isNull();
    assertThat(POLICY.lockedUntil(4, T0)).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void backOffNeverOverflows() {
    LoginPolicy lenient =
        new LoginPolicy(0, Duration.ofDays(1), Duration.ofDays(2), Integer.MAX_VALUE,
            Duration.ofDays(3), Duration.ofDays(1));

    assertThat(lenient.delayAfter(100)).isEqualTo(Duration.ofDays(2));
    assertThat(lenient.delayAfter(40)).isEqualTo(Duration.ofDays(2));
  }

  @Test
  void failuresOlderThanTheWindowNoLongerCount() {
    assertThat(POLICY.windowExpired(null, T0)).isTrue();
    assertThat(POLICY.windowExpired(T0, T0.plus(Duration.ofMinutes(15)).minusMillis(1))).isFalse();
    assertThat(POLICY.windowExpired(T0, T0.plus(Duration.ofMinutes(15)))).isTrue();
    assertThat(POLICY.failuresAfterFailure(5, T0, T0.plusSeconds(60))).isEqualTo(6);
    assertThat(POLICY.failuresAfterFailure(5, T0, T0.plus(Duration.ofMinutes(16)))).isEqualTo(1);
    assertThat(POLICY.failuresAt(5, T0, T0.plus(Duration.ofMinutes(16)))).isZero();
  }
}
