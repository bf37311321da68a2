package dev.troupe.persistence.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
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
 * <p>{@link #create(ActorSystem, CqlSession)} takes the statements from the plugin itself ({@link
 * KeyspaceAndTableStatements}), honouring every plugin setting in the system's config. {@link
 * #create(CqlSession, String, String, int)} needs no actor system; its statements are the plugin's
 * for its default settings (SimpleStrategy, default table names, gc_grace_seconds and compaction),
 * which a test checks against the plugin's own output.
 */
public final class CassandraSchema {

  /** The datacenter a single {@link CassandraServer} (SimpleSnitch) reports. */
  public static final String LOCAL_DATACENTER = "datacenter1";

  /** The plugin's configuration path, which also names its settings section. */
  public static final String PLUGIN_CONFIG_PATH = "pekko.persistence.cassandra";

  // DDL waits for the schema to settle on every node; far longer than a query's 2 s default.
  private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONNECT_RETRY = Duration.ofMillis(200);

  // The plugin's default table-compaction-strategy (SizeTieredCompactionStrategy), rendered as
  // the plugin renders it.
  private static final String COMPACTION =
      String.join(
          "\n",
          "{",
          "    'class' : 'SizeTieredCompactionStrategy',",
          "    'enabled' : true,",
          "    'tombstone_compaction_interval' : 86400,",
          "    'tombstone_threshold' : 0.2,",
          "    'unchecked_tombstone_compaction' : false,",
          "    'bucket_high' : 1.5,",
          "    'bucket_low' : 0.5,",
          "    'max_threshold' : 32,",
          "    'min_threshold' : 4,",
          "    'min_sstable_size' : 50",
          "    }");

  private static final int GC_GRACE_SECONDS = 864000;

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
   * The statements {@link #create(CqlSession, String, String, int)} runs, in order: journal
   * keyspace, journal tables, snapshot keyspace, snapshot table.
   */
  public static List<String> statements(
      String journalKeyspace, String snapshotKeyspace, int replicationFactor) {
    // The plugin's own validation, so a name it would reject fails here too.
    String journal = PluginSettings.validateKeyspaceName(journalKeyspace);
    String snapshot = PluginSettings.validateKeyspaceName(snapshotKeyspace);
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replication factor must be at least 1");
    }
    String replication =
        "{ 'class' : 'SimpleStrategy','replication_factor':" + replicationFactor + " }";
    List<String> statements = new ArrayList<>();
    statements.add(
        "CREATE KEYSPACE IF NOT EXISTS " + journal + "\nWITH REPLICATION = " + replication);
    statements.add(
        String.join(
            "\n",
            "CREATE TABLE IF NOT EXISTS " + journal + ".messages (",
            "  persistence_id text,",
            "  partition_nr bigint,",
            "  sequence_nr bigint,",
            "  timestamp timeuuid,",
            "  timebucket text,",
            "  writer_uuid text,",
            "  ser_id int,",
            "  ser_manifest text,",
            "  event_manifest text,",
            "  event blob,",
            "  meta_ser_id int,",
            "  meta_ser_manifest text,",
            "  meta blob,",
            "  tags set<text>,",
            "  PRIMARY KEY ((persistence_id, partition_nr), sequence_nr, timestamp))",
            "  WITH gc_grace_seconds =" + GC_GRACE_SECONDS,
            "  AND compaction = " + COMPACTION));
    statements.add(
        String.join(
            "\n",
            "CREATE TABLE IF NOT EXISTS " + journal + ".tag_views (",
            "  tag_name text,",
            "  persistence_id text,",
            "  sequence_nr bigint,",
            "  timebucket bigint,",
            "  timestamp timeuuid,",
            "  tag_pid_sequence_nr bigint,",
            "  writer_uuid text,",
            "  ser_id int,",
            "  ser_manifest text,",
            "  event_manifest text,",
            "  event blob,",
            "  meta_ser_id int,",
            "  meta_ser_manifest text,",
            "  meta blob,",
            "  PRIMARY KEY ((tag_name, timebucket), timestamp, persistence_id,"
                + " tag_pid_sequence_nr))",
            "  WITH gc_grace_seconds =" + GC_GRACE_SECONDS,
            "  AND compaction = " + COMPACTION));
    statements.add(
        String.join(
            "\n",
            "CREATE TABLE IF NOT EXISTS " + journal + ".tag_write_progress(",
            "  persistence_id text,",
            "  tag text,",
            "  sequence_nr bigint,",
            "  tag_pid_sequence_nr bigint,",
            "  offset timeuuid,",
            "  PRIMARY KEY (persistence_id, tag))"));
    statements.add(
        String.join(
            "\n",
            "CREATE TABLE IF NOT EXISTS " + journal + ".tag_scanning(",
            "  persistence_id text,",
            "  sequence_nr bigint,",
            "  PRIMARY KEY (persistence_id))"));
    statements.add(
        String.join(
            "\n",
            "CREATE TABLE IF NOT EXISTS " + journal + ".metadata(",
            "  persistence_id text PRIMARY KEY,",
            "  deleted_to bigint,",
            "  properties map<text,text>)"));
    statements.add(
        String.join(
            "\n",
            "CREATE TABLE IF NOT EXISTS " + journal + ".all_persistence_ids(",
            "  persistence_id text PRIMARY KEY)"));
    statements.add(
        "CREATE KEYSPACE IF NOT EXISTS " + snapshot + "\n WITH REPLICATION = " + replication);
    statements.add(
        String.join(
            "\n",
            "CREATE TABLE IF NOT EXISTS " + snapshot + ".snapshots (",
            "  persistence_id text,",
            "  sequence_nr bigint,",
            "  timestamp bigint,",
            "  ser_id int,",
            "  ser_manifest text,",
            "  snapshot_data blob,",
            "  snapshot blob,",
            "  meta_ser_id int,",
            "  meta_ser_manifest text,",
            "  meta blob,",
            "  PRIMARY KEY (persistence_id, sequence_nr))",
            "  WITH CLUSTERING ORDER BY (sequence_nr DESC) AND gc_grace_seconds ="
                + GC_GRACE_SECONDS,
            "  AND compaction = " + COMPACTION));
    return List.copyOf(statements);
  }

  /**
   * The statements the plugin configured in {@code system} generates, in the same order as {@link
   * #statements(String, String, int)}.
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
