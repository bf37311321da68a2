package dev.troupe.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.troupe.http.NodeRuntime;
import dev.troupe.http.testkit.TestNodes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code troupe.cluster.tls} takes effect for every node started through {@link NodeRuntime}, not
 * only through the command line: a node given keystore mode runs Artery over tls-tcp, and one given
 * pem mode without its files does not start.
 */
class NodeClusterTlsIT {

  private static final String PASSWORD = "changeit-for-tests";

  @TempDir Path dir;

  @Test
  void aNodeStartedWithClusterTlsInItsConfigRunsArteryOverTls() throws Exception {
    PemKeyMaterial material =
        SelfSignedCertificate.generate(List.of("localhost", "127.0.0.1"), Duration.ofDays(1), Clock.systemUTC());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("node", material.privateKey(), PASSWORD.toCharArray(), material.chain().toArray(X509Certificate[]::new));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("node", material.leaf());
    Path keyStore = store(keys, "node.p12");
    Path trustStore = store(trust, "trust.p12");

    NodeRuntime node =
        TestNodes.h2(
            dir.resolve("data"),
            ConfigFactory.parseMap(
                Map.of(
                    "troupe.cluster.tls", "keystore",
                    "troupe.cluster.tls-keystore.key-store", keyStore.toString(),
                    "troupe.cluster.tls-keystore.key-store-password", PASSWORD,
                    "troupe.cluster.tls-keystore.trust-store", trustStore.toString(),
                    "troupe.cluster.tls-keystore.trust-store-password", PASSWORD)));
    try {
      var config = node.system().settings().config();
      assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
      assertThat(config.getString("pekko.remote.artery.ssl.config-ssl-engine.key-store")).isEqualTo(keyStore.toString());
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Cluster.get(node.system()).selfMember().status() == MemberStatus.up());
    } finally {
      TlsHttpIT.stop(node);
    }
  }

  @Test
  void aNodeWhoseClusterTlsFilesAreMissingDoesNotStart() {
    Path missing = dir.resolve("no-such-dir");

    assertThatThrownBy(
            () -> TestNodes.h2(
                dir.resolve("data"),
                ConfigFactory.parseMap(Map.of("troupe.cluster.tls", "pem", "troupe.cluster.tls-pem.dir", missing.toString()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.resolve("tls.key") + " (troupe.cluster.tls-pem.dir (tls.key)) does not exist");
  }

  private Path store(KeyStore store, String name) throws Exception {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD.toCharArray());
    }
    return file;
  }
}
