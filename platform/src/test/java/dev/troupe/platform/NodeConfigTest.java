package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code troupe start}'s flags turn into, without starting anything. */
class NodeConfigTest {

  private static final String H2_URL = "pekko-persistence-jdbc.shared-databases.slick.db.url";

  @Test
  void theEmbeddedJournalStaysOpenUntilTheActorSystemTerminates() {
    StartOptions options = new StartOptions();
    options.dataDir = Path.of("target/node-config-test");
    Config config = NodeConfig.build(options, Map.of());

    assertThat(config.getString(H2_URL))
        .startsWith("jdbc:h2:file:")
        .contains("node-config-test")
        .endsWith(";DB_CLOSE_ON_EXIT=FALSE");
  }

  @Test
  void cassandraNodesKeepTheirUrlAndMayJoin() {
    StartOptions options = new StartOptions();
    options.journal = "cassandra";
    options.join = List.of("127.0.0.1:25520");
    Config config = NodeConfig.build(options, Map.of());

    assertThat(config.getStringList("troupe.cluster.join")).containsExactly("127.0.0.1:25520");
    assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("pekko.persistence.cassandra.journal");
  }

  @Test
  void joinOnH2IsRefused() {
    StartOptions options = new StartOptions();
    options.join = List.of("127.0.0.1:25520");

    assertThatThrownBy(() -> NodeConfig.build(options, Map.of()))
        .isInstanceOf(NodeConfig.InvalidConfig.class)
        .hasMessageContaining("shared journal");
  }
}
