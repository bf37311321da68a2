package dev.troupe.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.troupe.persistence.TroupeConfig;
import dev.troupe.persistence.journal.JournalConfig;
import dev.troupe.persistence.journal.JournalKind;
import java.time.Duration;
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
    List<String> cassandra = orEnvList(options.cassandra, env.get("TROUPE_CASSANDRA"));
    if (!cassandra.isEmpty()) {
      flags.put("troupe.persistence.cassandra.contact-points", ConfigValueFactory.fromIterable(cassandra));
    }
    List<String> join = orEnvList(options.join, env.get("TROUPE_JOIN"));
    if (!join.isEmpty()) {
      flags.put("troupe.cluster.join", ConfigValueFactory.fromIterable(join));
    }
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
      config = TroupeConfig.load(overrides);
    } catch (IllegalArgumentException e) {
      throw new InvalidConfig(e.getMessage());
    }
    if (!options.extensions.isEmpty()) {
      List<String> all = new ArrayList<>(config.getStringList("troupe.extensions"));
      all.addAll(options.extensions);
      config = config.withValue("troupe.extensions", ConfigValueFactory.fromIterable(all));
    }
    validate(config);
    return drainWithinShutdownPhase(keepH2OpenUntilShutdown(config));
  }

  /**
   * The HTTP drain ({@code troupe.http.drain-deadline}, 10 s by default) runs as a task of
   * coordinated shutdown's {@code service-requests-done} phase, which Pekko cuts off after {@code
   * default-phase-timeout} (5 s): requests still running then lost their connection without an
   * answer, and the configured deadline never applied. Unless an operator set that phase's timeout,
   * it gets the drain deadline plus a second.
   */
  static Config drainWithinShutdownPhase(Config config) {
    String phaseTimeout = "pekko.coordinated-shutdown.phases.service-requests-done.timeout";
    if (config.hasPath(phaseTimeout) || !config.hasPath("troupe.http.drain-deadline")) {
      return config;
    }
    Duration needed = config.getDuration("troupe.http.drain-deadline").plusSeconds(1);
    if (needed.compareTo(config.getDuration("pekko.coordinated-shutdown.default-phase-timeout")) <= 0) {
      return config;
    }
    return config.withValue(phaseTimeout, ConfigValueFactory.fromAnyRef(needed.toMillis() + "ms"));
  }

  /**
   * H2 closes an embedded database from its own JVM shutdown hook unless the URL says {@code
   * DB_CLOSE_ON_EXIT=FALSE}. On SIGTERM that hook runs at the same time as coordinated shutdown,
   * so the journal died under the requests the node was still draining (their writes failed and
   * the entities went into backoff). The pool closes the database when the actor system
   * terminates (pekko-persistence-jdbc registers that), which is the only close a node needs.
   */
  static Config keepH2OpenUntilShutdown(Config config) {
    if (JournalConfig.kindOf(config) != JournalKind.H2) {
      return config;
    }
    String path = "pekko-persistence-jdbc.shared-databases.slick.db.url";
    String url = config.getString(path);
    if (!url.startsWith("jdbc:h2:") || url.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
      return config;
    }
    return config.withValue(path, ConfigValueFactory.fromAnyRef(url + ";DB_CLOSE_ON_EXIT=FALSE"));
  }

  private static void validate(Config config) {
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
