package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import dev.troupe.http.tls.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the TLS flags and variables of {@code troupe start} turn into, and what they refuse. */
class NodeConfigTlsTest {

  @TempDir Path dir;

  @Test
  void tlsIsOffByDefault() {
    Config config = NodeConfig.build(options(), Map.of());

    assertThat(config.getString("troupe.http.tls.mode")).isEqualTo("off");
    assertThat(config.getString("troupe.cluster.tls")).isEqualTo("off");
    assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tcp");
  }

  @Test
  void theTlsFlagOrVariableMeansTheSelfSignedCertificate() {
    StartOptions flag = options();
    flag.tls = true;

    assertThat(NodeConfig.build(flag, Map.of()).getString("troupe.http.tls.mode")).isEqualTo("self-signed");
    assertThat(NodeConfig.build(options(), Map.of("TROUPE_TLS", "true")).getString("troupe.http.tls.mode"))
        .isEqualTo("self-signed");
    assertThat(NodeConfig.build(options(), Map.of("TROUPE_TLS", "false")).getString("troupe.http.tls.mode"))
        .isEqualTo("off");
    assertThatThrownBy(() -> NodeConfig.build(options(), Map.of("TROUPE_TLS", "maybe")))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("TROUPE_TLS=maybe");
  }

  @Test
  void certAndKeyMeanPemModeWithAbsolutePaths() throws Exception {
    writePair(dir.resolve("c.pem"), dir.resolve("k.pem"));
    StartOptions options = options();
    options.tlsCert = dir.resolve("c.pem");
    options.tlsKey = dir.resolve("k.pem");

    Config config = NodeConfig.build(options, Map.of());

    assertThat(config.getString("troupe.http.tls.mode")).isEqualTo("pem");
    assertThat(config.getString("troupe.http.tls.cert-file")).isEqualTo(dir.resolve("c.pem").toAbsolutePath().toString());
    assertThat(config.getString("troupe.http.tls.key-file")).isEqualTo(dir.resolve("k.pem").toAbsolutePath().toString());
    Config fromEnv =
        NodeConfig.build(
            options(), Map.of("TROUPE_TLS_CERT", dir.resolve("c.pem").toString(), "TROUPE_TLS_KEY", dir.resolve("k.pem").toString()));
    assertThat(fromEnv.getString("troupe.http.tls.mode")).isEqualTo("pem");
  }

  @Test
  void refusesHalfOrConflictingTlsFlags() {
    StartOptions certOnly = options();
    certOnly.tlsCert = dir.resolve("c.pem");
    assertThatThrownBy(() -> NodeConfig.build(certOnly, Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("--tls-cert and --tls-key")
        .hasMessageContaining("give both");

    StartOptions both = options();
    both.tls = true;
    both.tlsCert = dir.resolve("c.pem");
    both.tlsKey = dir.resolve("k.pem");
    assertThatThrownBy(() -> NodeConfig.build(both, Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("exclude each other");
  }

  @Test
  void aBadKeyFileIsAClearConfigError() throws Exception {
    writePair(dir.resolve("c.pem"), dir.resolve("k.pem"));
    Files.writeString(dir.resolve("k.pem"), "-----BEGIN RSA PRIVATE KEY-----\nnot base64!\n-----END RSA PRIVATE KEY-----\n");
    StartOptions options = options();
    options.tlsCert = dir.resolve("c.pem");
    options.tlsKey = dir.resolve("k.pem");

    assertThatThrownBy(() -> NodeConfig.build(options, Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("the TLS key file " + dir.resolve("k.pem").toAbsolutePath());

    StartOptions missing = options();
    missing.tlsCert = dir.resolve("nope.pem");
    missing.tlsKey = dir.resolve("k.pem");
    assertThatThrownBy(() -> NodeConfig.build(missing, Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("nope.pem does not exist");
  }

  @Test
  void clusterTlsNeedsItsFiles() {
    StartOptions keystore = options();
    keystore.clusterTls = "keystore";
    assertThatThrownBy(() -> NodeConfig.build(keystore, Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("troupe.cluster.tls-keystore.key-store");

    StartOptions pem = options();
    pem.clusterTls = "pem";
    assertThatThrownBy(() -> NodeConfig.build(pem, Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("/var/run/secrets/troupe-cluster-tls/tls.key");

    StartOptions typo = options();
    typo.clusterTls = "yes";
    assertThatThrownBy(() -> NodeConfig.build(typo, Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("not one of off, keystore, pem");
  }

  private StartOptions options() {
    StartOptions options = new StartOptions();
    options.dataDir = dir.resolve("data");
    return options;
  }

  static void writePair(Path cert, Path key) throws Exception {
    var material = SelfSignedCertificate.generate(List.of("localhost"), Duration.ofDays(1), Clock.systemUTC());
    var out = new java.io.StringWriter();
    try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
      writer.writeObject(material.leaf());
    }
    Files.writeString(cert, out.toString());
    var keyOut = new java.io.StringWriter();
    try (var writer = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(keyOut)) {
      writer.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(material.privateKey(), null));
    }
    Files.writeString(key, keyOut.toString());
  }
}
