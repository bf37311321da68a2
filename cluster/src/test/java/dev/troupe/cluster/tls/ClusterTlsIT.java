package dev.troupe.cluster.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.TroupeConfig;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two nodes form a cluster over Artery tls-tcp in each {@code troupe.cluster.tls} mode: keystore
 * (PKCS12 key and trust stores) and pem (RSA key, certificate and CA in the cert-manager layout).
 * The certificate comes from the JDK's keytool, as an operator would make one. A node whose
 * certificate the members do not trust is refused at the TLS handshake.
 */
class ClusterTlsIT {

  private static final String PASSWORD = "changeit-for-tests";

  @TempDir static Path dir;

  private final List<ActorSystem<Void>> systems = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() throws Exception {
    keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=troupe-cluster",
        "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", dir.resolve("node.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", dir.resolve("node.p12").toString(),
        "-storepass", PASSWORD, "-file", dir.resolve("node.crt").toString());
    keytool("-importcert", "-noprompt", "-alias", "node", "-file", dir.resolve("node.crt").toString(),
        "-storetype", "PKCS12", "-keystore", dir.resolve("trust.p12").toString(), "-storepass", PASSWORD);
    // The pem layout: tls.key (PKCS#8), tls.crt, ca.crt (self-signed: the node cert is its own CA).
    Path pem = Files.createDirectories(dir.resolve("pem"));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(dir.resolve("node.p12").toFile())) {
      store.load(in, PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) store.getKey("node", PASSWORD.toCharArray());
    String keyPem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(pem.resolve("tls.key"), keyPem);
    Files.copy(dir.resolve("node.crt"), pem.resolve("tls.crt"));
    Files.copy(dir.resolve("node.crt"), pem.resolve("ca.crt"));
    // A stranger: its own key, trusting only itself.
    keytool("-genkeypair", "-alias", "node", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=troupe-cluster",
        "-validity", "2", "-storetype", "PKCS12",
        "-keystore", dir.resolve("stranger.p12").toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "node", "-keystore", dir.resolve("stranger.p12").toString(),
        "-storepass", PASSWORD, "-file", dir.resolve("stranger.crt").toString());
    // A trust store for both certificates: with it on the member's side the stranger is trusted.
    keytool("-importcert", "-noprompt", "-alias", "node", "-file", dir.resolve("node.crt").toString(),
        "-storetype", "PKCS12", "-keystore", dir.resolve("both-trust.p12").toString(), "-storepass", PASSWORD);
    keytool("-importcert", "-noprompt", "-alias", "stranger", "-file", dir.resolve("stranger.crt").toString(),
        "-storetype", "PKCS12", "-keystore", dir.resolve("both-trust.p12").toString(), "-storepass", PASSWORD);
  }

  @AfterEach
  void stop() throws Exception {
    for (ActorSystem<Void> system : systems) {
      system.terminate();
    }
    for (ActorSystem<Void> system : systems) {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoNodesFormAClusterOverTlsWithKeyStores() {
    Map<String, Object> settings =
        Map.of(
            "troupe.cluster.tls", "keystore",
            "troupe.cluster.tls-keystore.key-store", dir.resolve("node.p12").toString(),
            "troupe.cluster.tls-keystore.key-store-password", PASSWORD,
            "troupe.cluster.tls-keystore.trust-store", dir.resolve("trust.p12").toString(),
            "troupe.cluster.tls-keystore.trust-store-password", PASSWORD);

    assertTwoNodeCluster(settings);
  }

  @Test
  void aNodeWithAnUntrustedCertificateCannotJoin() {
    // The member trusts only its own certificate; the stranger trusts both, so only the member's
    // trust decision can keep it out.
    ActorSystem<Void> member = startMember(keystore("node.p12", "trust.p12"));
    ActorSystem<Void> stranger = start(keystore("stranger.p12", "both-trust.p12"));
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logged);
    try {
      Cluster.get(stranger).manager().tell(Join.create(Cluster.get(member).selfMember().address()));

      // Artery reports the refused handshake ...
      await()
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> mentions(logged, "SSLHandshakeException"));
      // ... and the stranger never becomes a member.
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(8))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> memberCount(member) == 1 && Cluster.get(stranger).selfMember().status() != MemberStatus.up());
    } finally {
      root.detachAppender(logged);
    }
  }

  private static boolean mentions(ListAppender<ILoggingEvent> appender, String text) {
    List<ILoggingEvent> events;
    synchronized (appender) {
      events = new ArrayList<>(appender.list);
    }
    return events.stream()
        .anyMatch(
            e -> e.getFormattedMessage().contains(text)
                || (e.getThrowableProxy() != null && e.getThrowableProxy().getClassName().contains(text)));
  }

  @Test
  void theSameNodeJoinsWhenTheMembersTrustStoreHoldsItsCertificate() {
    // The control for the test above: the stranger's settings are the same, only the member's
    // trust store differs. So what kept it out there was the TLS trust check, nothing else.
    ActorSystem<Void> member = startMember(keystore("node.p12", "both-trust.p12"));
    ActorSystem<Void> stranger = start(keystore("stranger.p12", "both-trust.p12"));

    Cluster.get(stranger).manager().tell(Join.create(Cluster.get(member).selfMember().address()));

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> memberCount(member) == 2 && Cluster.get(stranger).selfMember().status() == MemberStatus.up());
  }

  private ActorSystem<Void> startMember(Map<String, Object> tls) {
    ActorSystem<Void> member = start(tls);
    Cluster.get(member).manager().tell(Join.create(Cluster.get(member).selfMember().address()));
    await().atMost(Duration.ofSeconds(20)).until(() -> Cluster.get(member).selfMember().status() == MemberStatus.up());
    return member;
  }

  private static long memberCount(ActorSystem<Void> system) {
    return Cluster.get(system).state().getMembers().spliterator().getExactSizeIfKnown();
  }

  private static Map<String, Object> keystore(String keyStore, String trustStore) {
    return Map.of(
        "troupe.cluster.tls", "keystore",
        "troupe.cluster.tls-keystore.key-store", dir.resolve(keyStore).toString(),
        "troupe.cluster.tls-keystore.key-store-password", PASSWORD,
        "troupe.cluster.tls-keystore.trust-store", dir.resolve(trustStore).toString(),
        "troupe.cluster.tls-keystore.trust-store-password", PASSWORD);
  }

  @Test
  void twoNodesFormAClusterOverTlsWithPemFiles() {
    assertTwoNodeCluster(
        Map.of("troupe.cluster.tls", "pem", "troupe.cluster.tls-pem.dir", dir.resolve("pem").toString()));
  }

  @Test
  void keystoreModeMapsOntoArterysConfigEngine() {
    Config config =
        ClusterTls.apply(
            load(
                Map.of(
                    "troupe.cluster.tls", "keystore",
                    "troupe.cluster.tls-keystore.key-store", dir.resolve("node.p12").toString(),
                    "troupe.cluster.tls-keystore.key-store-password", PASSWORD,
                    "troupe.cluster.tls-keystore.trust-store", dir.resolve("trust.p12").toString(),
                    "troupe.cluster.tls-keystore.trust-store-password", "other")));

    assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
    Config engine = config.getConfig("pekko.remote.artery.ssl.config-ssl-engine");
    assertThat(config.getString("pekko.remote.artery.ssl.ssl-engine-provider"))
        .isEqualTo("org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider");
    assertThat(engine.getString("key-store")).isEqualTo(dir.resolve("node.p12").toString());
    assertThat(engine.getString("key-password")).as("defaults to the store password").isEqualTo(PASSWORD);
    assertThat(engine.getString("trust-store-password")).isEqualTo("other");
    assertThat(engine.getBoolean("require-mutual-authentication")).isTrue();
    assertThat(engine.getBoolean("hostname-verification")).as("off unless asked for").isFalse();

    Config verifying =
        ClusterTls.apply(
            load(
                Map.of(
                    "troupe.cluster.tls", "keystore",
                    "troupe.cluster.tls-keystore.key-store", dir.resolve("node.p12").toString(),
                    "troupe.cluster.tls-keystore.key-store-password", PASSWORD,
                    "troupe.cluster.tls-keystore.trust-store", dir.resolve("trust.p12").toString(),
                    "troupe.cluster.tls-keystore.trust-store-password", PASSWORD,
                    "troupe.cluster.tls-keystore.hostname-verification", "on")));
    assertThat(verifying.getBoolean("pekko.remote.artery.ssl.config-ssl-engine.hostname-verification")).isTrue();
  }

  @Test
  void offLeavesPlainTcpAndBadSettingsAreRefused() {
    assertThat(ClusterTls.apply(load(Map.of())).getString("pekko.remote.artery.transport")).isEqualTo("tcp");
    assertThatThrownBy(
            () -> ClusterTls.apply(
                load(Map.of(
                    "troupe.cluster.tls", "keystore",
                    "troupe.cluster.tls-keystore.key-store", dir.resolve("node.p12").toString(),
                    "troupe.cluster.tls-keystore.trust-store", dir.resolve("trust.p12").toString()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("troupe.cluster.tls-keystore.key-store-password");
    assertThatThrownBy(
            () -> ClusterTls.apply(load(Map.of("troupe.cluster.tls", "pem", "troupe.cluster.tls-pem.dir", dir.toString()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dir.resolve("tls.key") + " (troupe.cluster.tls-pem.dir (tls.key)) does not exist");
  }

  private void assertTwoNodeCluster(Map<String, Object> tls) {
    ActorSystem<Void> first = start(tls);
    ActorSystem<Void> second = start(tls);
    assertThat(first.settings().config().getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
    Cluster.get(first).manager().tell(Join.create(Cluster.get(first).selfMember().address()));
    Cluster.get(second).manager().tell(Join.create(Cluster.get(first).selfMember().address()));

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (ActorSystem<Void> system : List.of(first, second)) {
                var members = new ArrayList<org.apache.pekko.cluster.Member>();
                Cluster.get(system).state().getMembers().forEach(members::add);
                assertThat(members).hasSize(2).allMatch(m -> m.status() == MemberStatus.up());
              }
            });
  }

  private ActorSystem<Void> start(Map<String, Object> tls) {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "troupe-tls", ClusterTls.apply(load(tls)));
    systems.add(system);
    return system;
  }

  private static Config load(Map<String, Object> settings) {
    Config overrides =
        ConfigFactory.parseMap(settings)
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.coordinated-shutdown.exit-jvm", false,
                        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", false)));
    return TroupeConfig.load(overrides);
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new AssertionError("keytool " + String.join(" ", args) + " failed:\n" + output);
    }
  }
}
