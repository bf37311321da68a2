package dev.troupe.http.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warnings on load and reload: expired, not yet valid, expiring within 14 days. */
class CertificateValidityTest {

  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private static java.security.cert.X509Certificate validFrom(Instant start, Duration validity) {
    // generate() backdates notBefore by one minute.
    return SelfSignedCertificate.generate(List.of("localhost"), validity, Clock.fixed(start, ZoneOffset.UTC)).leaf();
  }

  @Test
  void saysWhatIsWrongWithTheValidityPeriod() {
    assertThat(CertificateValidity.problem(validFrom(NOW.minus(Duration.ofDays(1)), Duration.ofDays(90)), NOW)).isEmpty();
    assertThat(CertificateValidity.problem(validFrom(NOW.minus(Duration.ofDays(80)), Duration.ofDays(90)), NOW))
        .hasValueSatisfying(p -> assertThat(p).contains("expires at 2030-01-11").contains("less than 14 days"));
    assertThat(CertificateValidity.problem(validFrom(NOW.minus(Duration.ofDays(100)), Duration.ofDays(90)), NOW))
        .hasValueSatisfying(p -> assertThat(p).contains("expired at"));
    assertThat(CertificateValidity.problem(validFrom(NOW.plus(Duration.ofDays(2)), Duration.ofDays(90)), NOW))
        .hasValueSatisfying(p -> assertThat(p).contains("is not valid before"));
    assertThat(CertificateValidity.expired(validFrom(NOW.minus(Duration.ofDays(100)), Duration.ofDays(90)), NOW)).isTrue();
    assertThat(CertificateValidity.expired(validFrom(NOW.minus(Duration.ofDays(80)), Duration.ofDays(90)), NOW)).isFalse();
  }
}
