package dev.troupe.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made by the openssl command line, as operators make them: SEC1 and PKCS#8 EC keys, PKCS#1
 * RSA keys, encrypted keys; and the fingerprint openssl prints. Skipped where openssl is missing.
 */
class OpensslInteropTest {

  @TempDir static Path dir;

  @BeforeAll
  static void needsOpenssl() {
    assumeTrue(run("version").startsWith("OpenSSL"), "openssl is not installed");
  }

  @Test
  void readsOpensslEcKeysInSec1AndPkcs8() {
    run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file("ec-sec1.key"));
    run("req", "-new", "-x509", "-key", file("ec-sec1.key"), "-subj", "/CN=ec", "-days", "1", "-out", file("ec.crt"));
    run("pkcs8", "-topk8", "-nocrypt", "-in", file("ec-sec1.key"), "-out", file("ec-pkcs8.key"));

    assertThat(read("ec-sec1.key")).contains("BEGIN EC PRIVATE KEY");
    PemKeyMaterial sec1 = PemKeyMaterial.load(dir.resolve("ec.crt"), dir.resolve("ec-sec1.key"));
    PemKeyMaterial pkcs8 = PemKeyMaterial.load(dir.resolve("ec.crt"), dir.resolve("ec-pkcs8.key"));

    assertThat(sec1.privateKey().getAlgorithm()).isEqualTo("EC");
    assertThat(((java.security.interfaces.ECPrivateKey) pkcs8.privateKey()).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) sec1.privateKey()).getS());
    assertThat(run("x509", "-noout", "-fingerprint", "-sha256", "-in", file("ec.crt")).trim())
        .endsWith("=" + sec1.fingerprint());
  }

  @Test
  void readsAnEcKeyAfterTheEcParametersBlockOfOpensslEcparam() {
    // Without -noout, ecparam writes EC PARAMETERS before EC PRIVATE KEY.
    run("ecparam", "-name", "prime256v1", "-genkey", "-out", file("ec-params.key"));
    run("req", "-new", "-x509", "-key", file("ec-params.key"), "-subj", "/CN=ec", "-days", "1", "-out", file("ec-params.crt"));

    assertThat(read("ec-params.key")).startsWith("-----BEGIN EC PARAMETERS-----").contains("BEGIN EC PRIVATE KEY");
    PemKeyMaterial material = PemKeyMaterial.load(dir.resolve("ec-params.crt"), dir.resolve("ec-params.key"));

    assertThat(material.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readsTheKeyOfACombinedCertificateAndKeyFile() throws Exception {
    run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file("combined-part.key"));
    run("req", "-new", "-x509", "-key", file("combined-part.key"), "-subj", "/CN=ec", "-days", "1", "-out", file("combined-part.crt"));
    Files.writeString(dir.resolve("combined.pem"), read("combined-part.crt") + read("combined-part.key"));

    PemKeyMaterial material = PemKeyMaterial.load(dir.resolve("combined-part.crt"), dir.resolve("combined.pem"));

    assertThat(material.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readsAnOpensslRsaKeyInPkcs1AndRefusesItEncrypted() {
    run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file("rsa.key"));
    run("req", "-new", "-x509", "-key", file("rsa.key"), "-subj", "/CN=rsa", "-days", "1", "-out", file("rsa.crt"));
    run("rsa", "-in", file("rsa.key"), "-traditional", "-out", file("rsa-pkcs1.key"));
    run("pkey", "-in", file("rsa.key"), "-aes256", "-passout", "pass:secret", "-out", file("rsa-encrypted.key"));

    assertThat(read("rsa-pkcs1.key")).contains("BEGIN RSA PRIVATE KEY");
    assertThat(PemKeyMaterial.load(dir.resolve("rsa.crt"), dir.resolve("rsa-pkcs1.key")).privateKey().getAlgorithm())
        .isEqualTo("RSA");
    assertThatThrownBy(() -> PemKeyMaterial.load(dir.resolve("rsa.crt"), dir.resolve("rsa-encrypted.key")))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("is encrypted");
  }

  private static String file(String name) {
    return dir.resolve(name).toString();
  }

  private static String read(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String run(String... args) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
      }
      return output;
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
