package dev.troupe.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.troupe.persistence.testkit.SharedCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs a real Cassandra 5.0 server: the shared one for schema and data, and a short-lived one of
 * its own to check that {@link CassandraServer#close()} stops the process.
 */
// The dedicated server's test runs first, so that, when this class is the first to need
// Cassandra, the two servers never run at the same time.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CassandraServerIT {

  private static final String JOURNAL = "troupe_journal_it";
  private static final String SNAPSHOT = "troupe_snapshot_it";
  private static final Set<String> JOURNAL_TABLES =
      Set.of(
          "messages",
          "tag_views",
          "tag_write_progress",
          "tag_scanning",
          "metadata",
          "all_persistence_ids");

  @Test
  @Order(1)
  void closeStopsTheServerProcess() {
    Path lib = CassandraLibrary.resolve(CassandraLibrary.troupeHome());
    Path dataDir =
        Path.of(System.getProperty("user.dir"), "target", "cassandra-it-" + UUID.randomUUID());
    // A small heap: this server only has to start, answer and stop.
    CassandraServer server =
        CassandraServer.startOnFreePorts(
            lib,
            dataDir,
            new CassandraServer.Heap("512M", "100M"),
            CassandraServer.DEFAULT_READY_TIMEOUT);
    ProcessHandle process;
    try {
      assertThat(server.isRunning()).isTrue();
      assertThat(server.contactPoint()).isEqualTo("127.0.0.1:" + server.cqlPort());
      process = ProcessHandle.of(server.pid()).orElseThrow();
      try (CqlSession session =
          CassandraSchema.connect(server.contactPoint(), Duration.ofSeconds(60))) {
        Row local = session.execute("SELECT release_version FROM system.local").one();
        assertThat(local).isNotNull();
        assertThat(local.getString("release_version")).isEqualTo("5.0.6");
      }
    } finally {
      server.close();
    }
    assertThat(server.isRunning()).isFalse();
    // close() has waited for the exit; the OS-level handle catches up a moment later at most.
    await().atMost(Duration.ofSeconds(5)).until(() -> !process.isAlive());
    assertThat(server.systemLog()).exists();
    assertThat(Files.exists(dataDir.resolve("conf").resolve("cassandra.yaml"))).isTrue();
  }

  @Test
  @Order(2)
  void createsThePluginSchemaWithTheReplicationFactorIdempotently() {
    CqlSession session = SharedCassandra.session();

    // Not the plugin's default of 1, so the factor is seen to reach the statements.
    CassandraSchema.create(session, JOURNAL, SNAPSHOT, 2);
    // IF NOT EXISTS throughout: a second run changes nothing and does not fail.
    CassandraSchema.create(session, JOURNAL, SNAPSHOT, 2);

    assertThat(tables(session, JOURNAL)).containsAll(JOURNAL_TABLES);
    assertThat(tables(session, SNAPSHOT)).containsExactly("snapshots");
    assertThat(replication(session, JOURNAL))
        .containsEntry("class", "org.apache.cassandra.locator.SimpleStrategy")
        .containsEntry("replication_factor", "2");
    assertThat(replication(session, SNAPSHOT))
        .containsEntry("class", "org.apache.cassandra.locator.SimpleStrategy")
        .containsEntry("replication_factor", "2");
    // The shared server's own schema, created the same way by SharedCassandra.
    assertThat(tables(session, SharedCassandra.JOURNAL_KEYSPACE)).containsAll(JOURNAL_TABLES);
    assertThat(tables(session, SharedCassandra.SNAPSHOT_KEYSPACE)).containsExactly("snapshots");
  }

  @Test
  @Order(3)
  void writesAndReadsARow() {
    CqlSession session = SharedCassandra.session();
    session.execute(
        "CREATE KEYSPACE IF NOT EXISTS troupe_scratch_it"
            + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    session.execute(
        "CREATE TABLE IF NOT EXISTS troupe_scratch_it.kv (k text PRIMARY KEY, v text, n int)");
    String key = UUID.randomUUID().toString();

    session.execute(
        "INSERT INTO troupe_scratch_it.kv (k, v, n) VALUES (?, ?, ?)", key, "hello", 42);
    Row row = session.execute("SELECT v, n FROM troupe_scratch_it.kv WHERE k = ?", key).one();

    assertThat(row).isNotNull();
    assertThat(row.getString("v")).isEqualTo("hello");
    assertThat(row.getInt("n")).isEqualTo(42);
  }

  private static Map<String, String> replication(CqlSession session, String keyspace) {
    Row row =
        session
            .execute(
                "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", keyspace)
            .one();
    assertThat(row).as("keyspace %s", keyspace).isNotNull();
    return row.getMap("replication", String.class, String.class);
  }

  private static Set<String> tables(CqlSession session, String keyspace) {
    return session
        .execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace)
        .all()
        .stream()
        .map(row -> row.getString("table_name"))
        .collect(Collectors.toSet());
  }
}
