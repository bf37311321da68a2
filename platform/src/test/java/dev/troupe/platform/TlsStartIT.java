package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.troupe.http.tls.Fingerprints;
import dev.troupe.http.tls.PemKeyMaterial;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** {@code troupe start --tls} as a real process: it prints the fingerprint of what it serves. */
class TlsStartIT {

  private static final Pattern FINGERPRINT = Pattern.compile("sha256 Fingerprint=((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

  @Test
  void startWithTlsPrintsTheFingerprintOfTheCertificateItServes() throws Exception {
    Path workDir = Files.createDirectories(NodeProcess.targetDir().resolve("tls-start-" + UUID.randomUUID().toString().substring(0, 8)));
    Path dataDir = workDir.resolve("data");
    try (NodeProcess node = NodeProcess.start(NodeProcess.Spec.of("tls-start", List.of("--tls", "--data-dir", dataDir.toString())))) {
      String printed =
          await("fingerprint line")
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> printedFingerprint(node), s -> s != null);
      assertThat(node.log()).contains("listening on https://");

      X509Certificate cert = PemKeyMaterial.readChain(Files.readAllBytes(dataDir.resolve("tls/cert.pem")), "cert.pem").get(0);
      HttpResponse<String> response =
          client(cert).send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + node.ports().http() + "/health/live")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
      X509Certificate presented = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
      assertThat(printed).isEqualTo(Fingerprints.sha256(presented)).isEqualTo(Fingerprints.sha256(cert));
      assertThat(Files.getPosixFilePermissions(dataDir.resolve("tls/key.pem")))
          .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
  }

  @Test
  void aKeyThatIsNotAKeyIsRefusedInOneLine() throws Exception {
    Path workDir = Files.createDirectories(NodeProcess.targetDir().resolve("tls-bad-" + UUID.randomUUID().toString().substring(0, 8)));
    NodeConfigTlsTest.writePair(workDir.resolve("cert.pem"), workDir.resolve("key.pem"));
    Files.writeString(workDir.resolve("key.pem"), "hello");
    List<String> args =
        List.of(
            "start",
            "--tls-cert", workDir.resolve("cert.pem").toString(),
            "--tls-key", workDir.resolve("key.pem").toString(),
            "--data-dir", workDir.resolve("data").toString(),
            "--no-metrics");

    NodeProcess.Result result = NodeProcess.run("tls-bad-key", args, Map.of(), workDir, Duration.ofSeconds(60));

    List<String> lines = result.stderr().lines().filter(l -> !l.startsWith("SLF4J(W)")).toList();
    assertThat(result.exitCode()).as(result.stderr()).isEqualTo(StartCommand.INVALID_CONFIG);
    assertThat(lines).as(result.stderr()).hasSize(1);
    assertThat(lines.get(0)).startsWith("troupe: the TLS key file ").contains("holds no private key");
  }

  private static String printedFingerprint(NodeProcess node) {
    Matcher matcher = FINGERPRINT.matcher(node.log());
    return matcher.find() ? matcher.group(1) : null;
  }

  private static HttpClient client(X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("node", cert);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
  }
}
