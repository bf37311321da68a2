package dev.troupe.persistence.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Troupe's journal settings ({@code troupe.persistence.*}, {@code troupe.data-dir}) into the
 * plugin settings Pekko reads. Put the result in front of the node's config before the actor
 * system starts.
 *
 * <p>It is code rather than HOCON substitutions because {@code reference.conf} is resolved on its
 * own, before command-line flags are layered on top.
 */
public final class JournalConfig {

  private JournalConfig() {}

  /** The plugin settings for the journal named in {@code troupe.persistence.journal}. */
  public static Config pluginSettings(Config config) {
    JournalKind kind = JournalKind.parse(config.getString("troupe.persistence.journal"));
    Map<String, Object> values = new HashMap<>();
    values.put("pekko.persistence.journal.plugin", kind.journalPlugin());
    values.put("pekko.persistence.snapshot-store.plugin", kind.snapshotPlugin());
    values.put("troupe.persistence.read-journal-plugin", kind.readJournalPlugin());
    if (kind == JournalKind.H2) {
      Path dir = Path.of(config.getString("troupe.data-dir")).toAbsolutePath().normalize();
      // DB_CLOSE_ON_EXIT=FALSE: H2's own JVM shutdown hook would close the database while
      // coordinated shutdown is still draining requests (their writes would fail). The pool
      // closes it when the actor system terminates, which is the only close a node needs.
      values.put(
          "pekko-persistence-jdbc.shared-databases.slick.db.url",
          "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE");
    } else {
      List<String> contactPoints = config.getStringList("troupe.persistence.cassandra.contact-points");
      values.put(
          "datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(contactPoints));
      values.put(
          "datastax-java-driver.basic.load-balancing-policy.local-datacenter",
          config.getString("troupe.persistence.cassandra.local-datacenter"));
      values.put(
          "pekko.persistence.cassandra.journal.keyspace",
          config.getString("troupe.persistence.cassandra.journal-keyspace"));
      values.put(
          "pekko.persistence.cassandra.snapshot.keyspace",
          config.getString("troupe.persistence.cassandra.snapshot-keyspace"));
      int replicationFactor = config.getInt("troupe.persistence.cassandra.replication-factor");
      values.put("pekko.persistence.cassandra.journal.replication-factor", replicationFactor);
      values.put("pekko.persistence.cassandra.snapshot.replication-factor", replicationFactor);
    }
    return ConfigFactory.parseMap(values, "troupe journal settings");
  }

  /** The config with its journal plugin settings applied in front, resolved. */
  public static Config withPluginSettings(Config config) {
    return pluginSettings(config).withFallback(config).resolve();
  }

  public static JournalKind kindOf(Config config) {
    return JournalKind.parse(config.getString("troupe.persistence.journal"));
  }
}
