package dev.troupe.http.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development certificate: generated once, stored safely, reused, replaced when stale. */
class SelfSignedCertificateTest {

  private static final Duration YEAR = Duration.ofDays(365);
  private static final Duration WEEK = Duration.ofDays(7);

  @TempDir Path dir;

  @Test
  void generatesAnEcP256CertificateForTheHostsWithAnOwnerOnlyPkcs8Key() throws Exception {
    SelfSignedCertificate.Result result =
        SelfSignedCertificate.ensure(dir, List.of("localhost", "127.0.0.1", "troupe.internal"), YEAR, WEEK, Clock.systemUTC());

    assertThat(result.generated()).isTrue();
    var cert = result.material().leaf();
    assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(cert.getPublicKey().toString()).contains("secp256r1");
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(entry -> String.valueOf(entry.get(1)))
        .containsExactlyInAnyOrder("localhost", "127.0.0.1", "troupe.internal");
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(Files.readString(dir.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem")))).isEqualTo("rw-------");
    assertThat(TlsClients.certIn(dir.resolve("cert.pem"))).isEqualTo(cert);
    assertThat(Files.list(dir)).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("cert.pem", "key.pem");
  }

  @Test
  void reusesAStoredCertificateThatIsStillGood() {
    var first = SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, Clock.systemUTC());

    var second = SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, Clock.systemUTC());

    assertThat(second.generated()).isFalse();
    assertThat(second.material().fingerprint()).isEqualTo(first.material().fingerprint());
  }

  @Test
  void replacesACertificateAboutToExpire() {
    var first = SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, Clock.systemUTC());
    Clock nearExpiry = Clock.fixed(Instant.now().plus(Duration.ofDays(360)), ZoneOffset.UTC);

    var second = SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, nearExpiry);

    assertThat(second.generated()).isTrue();
    assertThat(second.material().fingerprint()).isNotEqualTo(first.material().fingerprint());
  }

  @Test
  void replacesACertificateThatDoesNotNameTheConfiguredHost() throws Exception {
    SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, Clock.systemUTC());

    var second = SelfSignedCertificate.ensure(dir, List.of("localhost", "10.1.2.3"), YEAR, WEEK, Clock.systemUTC());

    assertThat(second.generated()).isTrue();
    assertThat(second.material().leaf().getSubjectAlternativeNames()).extracting(e -> String.valueOf(e.get(1))).contains("10.1.2.3");
  }

  @Test
  void replacesACorruptKeyFile() throws Exception {
    SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, Clock.systemUTC());
    Files.writeString(dir.resolve("key.pem"), "garbage");

    var second = SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, Clock.systemUTC());

    assertThat(second.generated()).isTrue();
    assertThat(PemKeyMaterial.load(dir.resolve("cert.pem"), dir.resolve("key.pem")).fingerprint())
        .isEqualTo(second.material().fingerprint());
  }

  @Test
  void reusesACertificateForAnIpv6HostWrittenShort() {
    var first = SelfSignedCertificate.ensure(dir, List.of("localhost", "127.0.0.1", "::1"), YEAR, WEEK, Clock.systemUTC());

    var second = SelfSignedCertificate.ensure(dir, List.of("localhost", "127.0.0.1", "::1"), YEAR, WEEK, Clock.systemUTC());

    assertThat(first.generated()).isTrue();
    assertThat(second.generated()).as("::1 is the SAN 0:0:0:0:0:0:0:1").isFalse();
    assertThat(second.material().fingerprint()).isEqualTo(first.material().fingerprint());
  }

  @Test
  void narrowsAReusedKeyThatOthersCouldReadBackToOwnerOnly() throws Exception {
    var first = SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, Clock.systemUTC());
    Files.setPosixFilePermissions(dir.resolve("key.pem"), PosixFilePermissions.fromString("rw-r--r--"));

    var second = SelfSignedCertificate.ensure(dir, List.of("localhost"), YEAR, WEEK, Clock.systemUTC());

    assertThat(second.generated()).isFalse();
    assertThat(second.material().fingerprint()).isEqualTo(first.material().fingerprint());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem")))).isEqualTo("rw-------");
  }

  @Test
  void wildcardHostsAreNotPutInTheCertificate() {
    assertThat(TlsSettings.hostsFor("0.0.0.0")).containsExactly("localhost", "127.0.0.1");
    assertThat(TlsSettings.hostsFor("127.0.0.1")).containsExactly("localhost", "127.0.0.1");
    assertThat(TlsSettings.hostsFor("node-1.example")).containsExactly("localhost", "127.0.0.1", "node-1.example");
  }
}
