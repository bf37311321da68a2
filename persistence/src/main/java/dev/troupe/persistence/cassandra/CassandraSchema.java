package dev.troupe.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;

/**
 * Creates the keyspaces and tables that pekko-persistence-cassandra 1.1.0 uses: the journal's
 * {@code messages}, {@code tag_views}, {@code tag_write_progress}, {@code tag_scanning}, {@code
 * metadata} and {@code all_persistence_ids}, and the snapshot store's {@code snapshots}.
 *
 * <p>Troupe turns the plugin's auto-creation off (several nodes racing on DDL leads to "Column
 * family ID mismatch" errors), so the schema is created once, explicitly, with this class. Every
 * statement is {@code IF NOT EXISTS}, so running it again is harmless; statements run one after the
 * other because concurrent DDL is exactly what Cassandra handles badly.
 *
 * <p>The statements are always the plugin's own ({@link KeyspaceAndTableStatements}), never written
 * by hand: {@link #create(ActorSystem, CqlSession)} honours every plugin setting in the system's
 * config; {@link #create(CqlSession, String, String, int)} needs no actor system from the caller
 * and runs the plugin's statements for the given keyspaces and replication factor (SimpleStrategy),
 * with all other settings from {@link ConfigFactory#load()} (see {@link #statements(String, String,
 * int)}).
 */
public final class CassandraSchema {

  /** The datacenter a single {@link CassandraServer} (SimpleSnitch) reports. */
  public static final String LOCAL_DATACENTER = "datacenter1";

  /** The plugin's configuration path, which also names its settings section. */
  public static final String PLUGIN_CONFIG_PATH = "pekko.persistence.cassandra";

  // DDL waits for the schema to settle on every node; far longer than a query's 2 s default.
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONNECT_RETRY = Duration.ofMillis(200);

  // The plugin's settings need an actor system (they log through it) but nothing that runs in
  // one: a local system, whatever provider and remoting the application configures, that
  // neither hooks into nor ends the JVM.
  private static final Config SCHEMA_SYSTEM =
      ConfigFactory.parseMap(
          Map.of(
              "pekko.actor.provider", "local",
              "pekko.coordinated-shutdown.exit-jvm", "off",
              "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off"),
          "CassandraSchema actor system");

  private CassandraSchema() {}

  /**
   * Creates the journal and snapshot keyspaces (SimpleStrategy with {@code replicationFactor}) and
   * all the plugin's tables, if they do not exist yet.
   */
  public static void create(
      CqlSession session, String journalKeyspace, String snapshotKeyspace, int replicationFactor) {
    execute(session, statements(journalKeyspace, snapshotKeyspace, replicationFactor));
  }

  /**
   * Creates the keyspaces and tables exactly as the plugin configured in {@code system} ({@code
   * pekko.persistence.cassandra}) would: keyspace names, replication, table names, compaction.
   */
  public static void create(ActorSystem<?> system, CqlSession session) {
    execute(session, statements(system));
  }

  /**
   * The statements the plugin configured in {@code system} generates, in order: journal keyspace,
   * journal tables, snapshot keyspace, snapshot table.
   */
  public static List<String> statements(ActorSystem<?> system) {
    KeyspaceAndTableStatements plugin =
        new KeyspaceAndTableStatements(
            system, PLUGIN_CONFIG_PATH, PluginSettings.apply(system.classicSystem()));
    List<String> statements = new ArrayList<>();
    statements.add(plugin.createJournalKeyspaceStatement());
    statements.addAll(plugin.getCreateJournalTablesStatements());
    statements.add(plugin.createSnapshotKeyspaceStatement());
    statements.addAll(plugin.getCreateSnapshotTablesStatements());
    return List.copyOf(statements);
  }

  /**
   * The statements {@link #create(CqlSession, String, String, int)} runs, in the same order as
   * {@link #statements(ActorSystem)}: the plugin's, for these keyspaces and replication factor
   * (SimpleStrategy) and every other setting from {@link ConfigFactory#load()}. They are generated
   * in a short-lived local actor system, terminated before this returns.
   */
  public static List<String> statements(
      String journalKeyspace, String snapshotKeyspace, int replicationFactor) {
    // The plugin's own validation, which its settings do not apply: the names go into DDL as is.
    PluginSettings.validateKeyspaceName(journalKeyspace);
    PluginSettings.validateKeyspaceName(snapshotKeyspace);
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be at least 1");
    }
    Config config =
        ConfigFactory.parseMap(
                Map.of(
                    PLUGIN_CONFIG_PATH + ".journal.keyspace", journalKeyspace,
                    PLUGIN_CONFIG_PATH + ".journal.replication-strategy", "SimpleStrategy",
                    PLUGIN_CONFIG_PATH + ".journal.replication-factor", replicationFactor,
                    PLUGIN_CONFIG_PATH + ".snapshot.keyspace", snapshotKeyspace,
                    PLUGIN_CONFIG_PATH + ".snapshot.replication-strategy", "SimpleStrategy",
                    PLUGIN_CONFIG_PATH + ".snapshot.replication-factor", replicationFactor),
                "CassandraSchema")
            .withFallback(SCHEMA_SYSTEM)
            .withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "troupe-schema", config);
    try {
      return statements(system);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /**
   * Opens a session to {@code contactPoint} ({@code host:port}) with local datacenter {@value
   * #LOCAL_DATACENTER}, retrying until {@code timeout} passes: a server that has only just opened
   * its port may still refuse the first connection.
   *
   * @throws IllegalStateException with the last connection error if the timeout passes
   */
  public static CqlSession connect(String contactPoint, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return CqlSession.builder().withConfigLoader(driverConfig(contactPoint)).build();
      } catch (DriverException | IllegalStateException e) {
        if (System.nanoTime() + CONNECT_RETRY.toNanos() > deadline) {
          throw new IllegalStateException(
              "cannot connect to Cassandra at " + contactPoint + " within " + timeout, e);
        }
      }
      try {
        // A retry interval, not synchronisation: the driver offers nothing to wait on here.
        TimeUnit.NANOSECONDS.sleep(CONNECT_RETRY.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while connecting to " + contactPoint, e);
      }
    }
  }

  // A fresh loader per attempt: a session that fails to initialise closes the loader it was
  // given.
  private static DriverConfigLoader driverConfig(String contactPoint) {
    return DriverConfigLoader.programmaticBuilder()
        // Set rather than added, so contact points in an application.conf on the classpath are
        // not contacted too.
        .withStringList(DefaultDriverOption.CONTACT_POINTS, List.of(contactPoint))
        .withString(DefaultDriverOption.LOAD_BALANCING_LOCAL_DATACENTER, LOCAL_DATACENTER)
        .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(5))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(10))
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
        .build();
  }

  private static void execute(CqlSession session, List<String> statements) {
    // As the plugin does when it creates tables: schema metadata refreshes after every DDL
    // statement are what make schema creation slow, so they are off until the end.
    session.setSchemaMetadataEnabled(false);
    try {
      for (String cql : statements) {
        session.execute(SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT));
      }
    } finally {
      session.setSchemaMetadataEnabled(null);
    }
  }
}
