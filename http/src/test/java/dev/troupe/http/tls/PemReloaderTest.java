package dev.troupe.http.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Polling PEM files: new good material is swapped in; bad, expired or oddly failing material leaves
 * the old in place, and a poll never throws.
 */
class PemReloaderTest {

  @TempDir Path dir;

  @Test
  void swapsInChangedFilesAndKeepsTheOldMaterialWhenTheNewDoesNotParse() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    PemKeyMaterial one = write(cert, key);
    PemReloader reloader = new PemReloader(cert, key, Clock.systemUTC());
    ReloadingKeyManager keyManager = reloader.keyManager();
    assertThat(keyManager.material().fingerprint()).isEqualTo(one.fingerprint());

    assertThat(reloader.check()).as("unchanged files").isFalse();
    assertThat(reloader.checks()).isEqualTo(1);
    assertThat(reloader.rejections()).isZero();

    PemKeyMaterial two = write(cert, key);
    assertThat(reloader.check()).isTrue();
    assertThat(keyManager.material().fingerprint()).isEqualTo(two.fingerprint()).isNotEqualTo(one.fingerprint());
    assertThat(keyManager.getCertificateChain(keyManager.chooseEngineServerAlias("EC", null, null))[0])
        .isEqualTo(two.leaf());

    // A half-rotated pair: new cert, old key. Refused, the current material stays.
    PemKeyMaterial three = SelfSignedCertificate.generate(List.of("localhost"), Duration.ofDays(1), Clock.systemUTC());
    Files.writeString(cert, PemKeyMaterialTest.pem(three.leaf()));
    assertThat(reloader.check()).isFalse();
    assertThat(reloader.rejections()).isEqualTo(1);
    assertThat(keyManager.material().fingerprint()).isEqualTo(two.fingerprint());

    // The key follows: now the pair is whole and is taken.
    Files.writeString(key, PemKeyMaterialTest.pkcs8(three));
    assertThat(reloader.check()).isTrue();
    assertThat(keyManager.material().fingerprint()).isEqualTo(three.fingerprint());

    // Files removed: nothing changes.
    Files.delete(key);
    assertThat(reloader.check()).isFalse();
    assertThat(keyManager.material().fingerprint()).isEqualTo(three.fingerprint());
    assertThat(reloader.checks()).isEqualTo(5);
  }

  @Test
  void anUnexpectedExceptionIsCaughtAndTheNextPollStillWorks() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    PemKeyMaterial one = write(cert, key);
    AtomicBoolean failing = new AtomicBoolean();
    // The clock is read after the new files parse: a clock that throws stands for any surprise.
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            if (failing.get()) {
              throw new IllegalStateException("boom");
            }
            return Instant.now();
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    PemReloader reloader = new PemReloader(cert, key, clock);

    write(cert, key);
    failing.set(true);
    assertThat(reloader.check()).isFalse();
    assertThat(reloader.rejections()).isEqualTo(1);
    assertThat(reloader.keyManager().material().fingerprint()).isEqualTo(one.fingerprint());

    failing.set(false);
    PemKeyMaterial three = write(cert, key);
    assertThat(reloader.check()).isTrue();
    assertThat(reloader.keyManager().material().fingerprint()).isEqualTo(three.fingerprint());
    assertThat(reloader.checks()).isEqualTo(2);
  }

  @Test
  void anExpiredCertificateIsNotSwappedIn() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    PemKeyMaterial one = write(cert, key);
    PemReloader reloader = new PemReloader(cert, key, Clock.systemUTC());
    Clock lastMonth = Clock.fixed(Instant.now().minus(Duration.ofDays(30)), ZoneOffset.UTC);
    PemKeyMaterial expired = SelfSignedCertificate.generate(List.of("localhost"), Duration.ofDays(1), lastMonth);
    Files.writeString(cert, PemKeyMaterialTest.pem(expired.leaf()));
    Files.writeString(key, PemKeyMaterialTest.pkcs8(expired));

    assertThat(reloader.check()).isFalse();
    assertThat(reloader.rejections()).isEqualTo(1);
    assertThat(reloader.keyManager().material().fingerprint()).isEqualTo(one.fingerprint());
  }

  @Test
  void aHandshakeThatStartedBeforeASwapGetsTheChainAndKeyOfOneMaterial() throws Exception {
    PemKeyMaterial one = write(dir.resolve("a.crt"), dir.resolve("a.key"));
    PemKeyMaterial two = write(dir.resolve("b.crt"), dir.resolve("b.key"));
    ReloadingKeyManager keyManager = new ReloadingKeyManager(one);
    String before = keyManager.chooseEngineServerAlias("EC", null, null);

    keyManager.swap(two);
    String after = keyManager.chooseEngineServerAlias("EC", null, null);

    assertThat(keyManager.getCertificateChain(before)[0]).isEqualTo(one.leaf());
    assertThat(keyManager.getPrivateKey(before)).isEqualTo(one.privateKey());
    assertThat(keyManager.getCertificateChain(after)[0]).isEqualTo(two.leaf());
    assertThat(keyManager.getPrivateKey(after)).isEqualTo(two.privateKey());
    assertThat(keyManager.getServerAliases("EC", null)).containsExactly(after);
    assertThat(keyManager.getPrivateKey("troupe")).as("an alias without a generation").isNull();
    assertThat(keyManager.chooseEngineServerAlias("RSA", null, null)).as("no RSA key").isNull();
  }

  static PemKeyMaterial write(Path cert, Path key) throws Exception {
    PemKeyMaterial material = SelfSignedCertificate.generate(List.of("localhost", "127.0.0.1"), Duration.ofDays(1), Clock.systemUTC());
    Files.writeString(cert, PemKeyMaterialTest.pem(material.leaf()));
    Files.writeString(key, PemKeyMaterialTest.pkcs8(material));
    return material;
  }
}
