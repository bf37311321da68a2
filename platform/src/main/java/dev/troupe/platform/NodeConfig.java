package dev.troupe.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.troupe.cluster.tls.ClusterTls;
import dev.troupe.http.tls.ServerTls;
import dev.troupe.http.tls.TlsMode;
import dev.troupe.http.tls.TlsSetupException;
import dev.troupe.persistence.TroupeConfig;
import dev.troupe.persistence.journal.JournalConfig;
import dev.troupe.persistence.journal.JournalKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a node's configuration: flags, then {@code TROUPE_*} environment variables, then the
 * optional {@code --config} file, then {@code application.conf}, then every module's {@code
 * reference.conf}. Refuses combinations that cannot work, with a message that says why.
 */
final class NodeConfig {

  /** A configuration the node must not start with. */
  static final class InvalidConfig extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidConfig(String message) {
      super(message);
    }
  }

  private NodeConfig() {}

  static Config build(StartOptions options, Map<String, String> env) {
    Map<String, Object> flags = new HashMap<>();
    putIfSet(flags, "troupe.http.host", options.host);
    putIfSet(flags, "troupe.http.port", options.port);
    putIfSet(flags, "troupe.data-dir", options.dataDir == null ? null : options.dataDir.toString());
    putIfSet(flags, "troupe.node-name", options.nodeName);
    putIfSet(flags, "pekko.remote.artery.canonical.port", options.remotePort);
    putIfSet(flags, "pekko.remote.artery.canonical.hostname", options.remoteHost);
    putIfSet(flags, "pekko.management.http.port", options.managementPort);
    putIfSet(flags, "troupe.persistence.journal", options.journal);
    putIfSet(flags, "kamon.prometheus.embedded-server.port", options.metricsPort);
    putIfSet(flags, "troupe.identity.admin.username", options.adminUser);
    putIfSet(flags, "troupe.identity.admin.password", options.adminPassword);
    List<String> cassandra = orEnvList(options.cassandra, env.get("TROUPE_CASSANDRA"));
    if (!cassandra.isEmpty()) {
      flags.put("troupe.persistence.cassandra.contact-points", ConfigValueFactory.fromIterable(cassandra));
    }
    List<String> join = orEnvList(options.join, env.get("TROUPE_JOIN"));
    if (!join.isEmpty()) {
      flags.put("troupe.cluster.join", ConfigValueFactory.fromIterable(join));
    }
    putTls(flags, options, env);
    putIfSet(flags, ClusterTls.PATH, options.clusterTls);
    if (options.noMetrics) {
      flags.put("troupe.metrics.enabled", false);
    }
    // A node is its own process: once coordinated shutdown has run, the JVM exits.
    flags.put("pekko.coordinated-shutdown.exit-jvm", true);

    Config overrides = ConfigFactory.parseMap(flags, "command line");
    if (options.configFile != null) {
      overrides = overrides.withFallback(ConfigFactory.parseFile(options.configFile.toFile()));
    }
    Config config;
    try {
      config = ClusterTls.apply(TroupeConfig.load(overrides));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfig(e.getMessage());
    }
    if (!options.extensions.isEmpty()) {
      List<String> all = new ArrayList<>(config.getStringList("troupe.extensions"));
      all.addAll(options.extensions);
      config = config.withValue("troupe.extensions", ConfigValueFactory.fromIterable(all));
    }
    validate(config);
    return config;
  }

  private static void validate(Config config) {
    try {
      TlsMode.of(config);
      ServerTls.validate(config);
    } catch (IllegalArgumentException | TlsSetupException e) {
      throw new InvalidConfig(e.getMessage());
    }
    JournalKind journal;
    try {
      journal = JournalConfig.kindOf(config);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfig(e.getMessage());
    }
    boolean clustered =
        !config.getStringList("troupe.cluster.join").isEmpty() || config.getBoolean("troupe.cluster.bootstrap");
    if (journal == JournalKind.H2 && clustered) {
      throw new InvalidConfig(
          "--join (or cluster bootstrap) needs a shared journal: with the embedded H2 journal each"
              + " node would keep its own history of the same entities. Start every node with"
              + " --journal cassandra --cassandra host:port.");
    }
  }

  /**
   * {@code --tls} (TROUPE_TLS) is the self-signed development certificate; {@code --tls-cert} with
   * {@code --tls-key} (TROUPE_TLS_CERT/TROUPE_TLS_KEY) is pem mode. The two exclude each other.
   */
  private static void putTls(Map<String, Object> flags, StartOptions options, Map<String, String> env) {
    boolean selfSigned = options.tls || isTrue(env.get("TROUPE_TLS"), "TROUPE_TLS");
    String cert = options.tlsCert != null ? options.tlsCert.toString() : blankToNull(env.get("TROUPE_TLS_CERT"));
    String key = options.tlsKey != null ? options.tlsKey.toString() : blankToNull(env.get("TROUPE_TLS_KEY"));
    if (selfSigned && (cert != null || key != null)) {
      throw new InvalidConfig(
          "--tls (a self-signed development certificate) and --tls-cert/--tls-key (your own certificate)"
              + " exclude each other: give one of them.");
    }
    if ((cert == null) != (key == null)) {
      throw new InvalidConfig("--tls-cert and --tls-key (TROUPE_TLS_CERT, TROUPE_TLS_KEY) go together: give both.");
    }
    if (selfSigned) {
      flags.put(TlsMode.PATH, TlsMode.SELF_SIGNED.configName());
    } else if (cert != null) {
      flags.put(TlsMode.PATH, TlsMode.PEM.configName());
      flags.put("troupe.http.tls.cert-file", java.nio.file.Path.of(cert).toAbsolutePath().toString());
      flags.put("troupe.http.tls.key-file", java.nio.file.Path.of(key).toAbsolutePath().toString());
    }
  }

  private static boolean isTrue(String value, String name) {
    if (value == null || value.isBlank()) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0" -> false;
      default -> throw new InvalidConfig(name + "=" + value + " is not true or false");
    };
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static void putIfSet(Map<String, Object> flags, String path, Object value) {
    if (value != null && !value.toString().isBlank()) {
      flags.put(path, value);
    }
  }

  private static List<String> orEnvList(List<String> flagValues, String envValue) {
    if (!flagValues.isEmpty() || envValue == null || envValue.isBlank()) {
      return flagValues.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    return Arrays.stream(envValue.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
