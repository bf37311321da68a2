package dev.troupe.cluster.tls;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Maps {@code troupe.cluster.tls} ({@code off | keystore | pem}) onto Pekko's Artery settings:
 * {@code transport = tls-tcp} and the {@code pekko.remote.artery.ssl} provider with its files.
 *
 * <ul>
 *   <li>{@code keystore}: Pekko's {@code ConfigSSLEngineProvider} with a key store and a trust store
 *       (PKCS12 or JKS; any key type), mutual TLS. Every certificate the trust store vouches for can
 *       join, so it must hold only a CA dedicated to this cluster (or the nodes' own certificates),
 *       never a shared issuer; {@code tls-keystore.hostname-verification = on} also checks the
 *       peer's SAN against the host it connects to.
 *   <li>{@code pem}: Pekko's {@code RotatingKeysSSLEngineProvider} reading {@code tls.key}, {@code
 *       tls.crt} and {@code ca.crt} from one folder (the cert-manager Secret layout), re-read when
 *       its SSL context cache expires, so renewed certificates are picked up without a restart. The
 *       key must be RSA (PKCS#1 or PKCS#8): Pekko's PEM reader does not read EC keys.
 * </ul>
 *
 * Every node of a cluster must use the same transport: tcp and tls-tcp nodes cannot talk.
 */
public final class ClusterTls {

  /** The config path of the mode. */
  public static final String PATH = "troupe.cluster.tls";

  private static final String ARTERY = "pekko.remote.artery.";
  private static final String SSL = ARTERY + "ssl.";

  /** The transport modes. */
  public enum Mode {
    OFF,
    KEYSTORE,
    PEM;

    static Mode parse(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "off", "" -> OFF;
        case "keystore" -> KEYSTORE;
        case "pem" -> PEM;
        default -> throw new IllegalArgumentException(
            PATH + " = \"" + value + "\" is not one of off, keystore, pem");
      };
    }
  }

  private ClusterTls() {}

  public static Mode modeOf(Config config) {
    return Mode.parse(config.getString(PATH));
  }

  /**
   * The resolved node config with the Artery transport settings for its {@code troupe.cluster.tls}
   * mode. Refuses (IllegalArgumentException) missing files or passwords with a message that says
   * which setting to fix.
   */
  public static Config apply(Config config) {
    return switch (modeOf(config)) {
      case OFF -> config;
      case KEYSTORE -> keystore(config);
      case PEM -> pem(config);
    };
  }

  private static Config keystore(Config config) {
    Config ks = config.getConfig("troupe.cluster.tls-keystore");
    String keyStore = existing(ks.getString("key-store"), "troupe.cluster.tls-keystore.key-store");
    String trustStore = existing(ks.getString("trust-store"), "troupe.cluster.tls-keystore.trust-store");
    String keyStorePassword = required(ks.getString("key-store-password"), "troupe.cluster.tls-keystore.key-store-password");
    String keyPassword = ks.getString("key-password").isEmpty() ? keyStorePassword : ks.getString("key-password");
    String trustStorePassword =
        required(ks.getString("trust-store-password"), "troupe.cluster.tls-keystore.trust-store-password");
    String engine = SSL + "config-ssl-engine.";
    return set(config, ARTERY + "transport", "tls-tcp")
        .withValue(SSL + "ssl-engine-provider",
            ConfigValueFactory.fromAnyRef("org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider"))
        .withValue(engine + "key-store", ConfigValueFactory.fromAnyRef(keyStore))
        .withValue(engine + "key-store-password", ConfigValueFactory.fromAnyRef(keyStorePassword))
        .withValue(engine + "key-password", ConfigValueFactory.fromAnyRef(keyPassword))
        .withValue(engine + "trust-store", ConfigValueFactory.fromAnyRef(trustStore))
        .withValue(engine + "trust-store-password", ConfigValueFactory.fromAnyRef(trustStorePassword))
        .withValue(engine + "require-mutual-authentication", ConfigValueFactory.fromAnyRef(true))
        .withValue(engine + "hostname-verification", ConfigValueFactory.fromAnyRef(hostnameVerification(ks)));
  }

  /**
   * {@code troupe.cluster.tls-keystore.hostname-verification} (default off): on, each node checks
   * that the peer's certificate names the host it connects to (SAN), so a certificate from the same
   * CA issued for another workload is refused. Read with a default so that a config without the key
   * keeps working.
   */
  private static boolean hostnameVerification(Config ks) {
    return ks.hasPath("hostname-verification") && ks.getBoolean("hostname-verification");
  }

  private static Config pem(Config config) {
    String dirSetting = required(config.getString("troupe.cluster.tls-pem.dir"), "troupe.cluster.tls-pem.dir");
    Path dir = Path.of(dirSetting);
    // Set explicitly: Pekko's defaults were resolved against its own secret-mount-point already.
    String engine = SSL + "rotating-keys-engine.";
    return set(config, ARTERY + "transport", "tls-tcp")
        .withValue(SSL + "ssl-engine-provider",
            ConfigValueFactory.fromAnyRef("org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider"))
        .withValue(engine + "secret-mount-point", ConfigValueFactory.fromAnyRef(dir.toString()))
        .withValue(engine + "key-file", ConfigValueFactory.fromAnyRef(existing(dir.resolve("tls.key").toString(), "troupe.cluster.tls-pem.dir (tls.key)")))
        .withValue(engine + "cert-file", ConfigValueFactory.fromAnyRef(existing(dir.resolve("tls.crt").toString(), "troupe.cluster.tls-pem.dir (tls.crt)")))
        .withValue(engine + "ca-cert-file", ConfigValueFactory.fromAnyRef(existing(dir.resolve("ca.crt").toString(), "troupe.cluster.tls-pem.dir (ca.crt)")));
  }

  private static Config set(Config config, String path, Object value) {
    return config.withValue(path, ConfigValueFactory.fromAnyRef(value));
  }

  private static String required(String value, String setting) {
    if (value.isBlank()) {
      throw new IllegalArgumentException(PATH + " needs " + setting);
    }
    return value;
  }

  private static String existing(String file, String setting) {
    required(file, setting);
    if (!Files.isReadable(Path.of(file))) {
      throw new IllegalArgumentException(PATH + ": " + file + " (" + setting + ") does not exist or cannot be read");
    }
    return file;
  }
}
