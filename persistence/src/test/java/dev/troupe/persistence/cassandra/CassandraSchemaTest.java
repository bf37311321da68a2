package dev.troupe.persistence.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The plugin-generated statements, without a server (CassandraServerIT runs them). */
class CassandraSchemaTest {

  @Test
  void generatesThePluginsStatementsForTheGivenKeyspacesAndReplicationFactor() {
    List<String> statements = CassandraSchema.statements("j_ks", "s_ks", 3);

    // Journal keyspace, its six tables, snapshot keyspace, its table.
    assertThat(statements).hasSize(9);
    assertThat(statements.get(0))
        .startsWith("CREATE KEYSPACE IF NOT EXISTS j_ks")
        .contains("'replication_factor':3");
    assertThat(statements.subList(1, 7)).allMatch(s -> s.contains(" j_ks."));
    assertThat(statements.get(7))
        .startsWith("CREATE KEYSPACE IF NOT EXISTS s_ks")
        .contains("'replication_factor':3");
    assertThat(statements.get(8)).contains("CREATE TABLE IF NOT EXISTS s_ks.snapshots");
  }

  @Test
  void refusesWhatThePluginWouldRejectBeforeStartingAnything() {
    assertThatThrownBy(() -> CassandraSchema.statements("bad-name", "s_ks", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CassandraSchema.statements("j_ks", "s_ks", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replication factor");
  }
}
