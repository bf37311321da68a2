package dev.troupe.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.troupe.http.NodeRuntime;
import dev.troupe.http.testkit.TestNodes;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node in pem mode ({@code --tls-cert}/{@code --tls-key}): it serves the files' certificate,
 * picks up new files on the same port without rebinding, and refuses to start with a bad key.
 */
class TlsReloadHttpIT {

  @TempDir Path dir;

  @Test
  void newFilesAreServedOnTheSamePortWithoutARestart() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    PemKeyMaterial one = PemReloaderTest.write(cert, key);
    NodeRuntime node =
        TestNodes.h2(
            dir.resolve("data"),
            ConfigFactory.parseMap(
                Map.of(
                    "troupe.http.tls.mode", "pem",
                    "troupe.http.tls.cert-file", cert.toString(),
                    "troupe.http.tls.key-file", key.toString(),
                    "troupe.http.tls.reload-interval", "200ms")));
    try {
      int port = node.httpPort();
      String url = "https://127.0.0.1:" + port + "/health/live";
      HttpResponse<String> before = TlsClients.get(TlsClients.client(one.leaf(), HttpClient.Version.HTTP_2), url);
      assertThat(TlsClients.presented(before)).isEqualTo(one.leaf());
      assertThat(before.version()).isEqualTo(HttpClient.Version.HTTP_2);

      PemKeyMaterial two = PemReloaderTest.write(cert, key);

      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                // A fresh client each time: a cached TLS session would keep the old certificate.
                HttpResponse<String> after = TlsClients.get(TlsClients.client(two.leaf(), HttpClient.Version.HTTP_1_1), url);
                assertThat(after.statusCode()).isEqualTo(200);
                assertThat(TlsClients.presented(after)).isEqualTo(two.leaf());
              });
      assertThat(node.httpPort()).isEqualTo(port);
      assertThat(ServerTls.describe(node.system().settings().config()).orElseThrow())
          .endsWith("sha256 Fingerprint=" + two.fingerprint());

      // Broken files: once a poll has refused them, the node still presents the last good certificate.
      PemReloader reloader = PemReloads.get(node.system()).reloader().orElseThrow();
      long rejectedBefore = reloader.rejections();
      Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n");
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> reloader.rejections() > rejectedBefore);
      HttpResponse<String> still = TlsClients.get(TlsClients.client(two.leaf(), HttpClient.Version.HTTP_1_1), url);
      assertThat(TlsClients.presented(still)).isEqualTo(two.leaf());
    } finally {
      TlsHttpIT.stop(node);
    }
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateStopsTheStartWithAClearError() throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    PemReloaderTest.write(cert, key);
    PemKeyMaterial other = PemReloaderTest.write(dir.resolve("other.crt"), dir.resolve("other.key"));
    Files.copy(dir.resolve("other.key"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(
            () -> TestNodes.h2(
                dir.resolve("data"),
                ConfigFactory.parseMap(
                    Map.of(
                        "troupe.http.tls.mode", "pem",
                        "troupe.http.tls.cert-file", cert.toString(),
                        "troupe.http.tls.key-file", key.toString()))))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("the TLS key " + key + " does not belong to the certificate " + cert);
    assertThat(other.leaf()).isNotNull();
  }
}
