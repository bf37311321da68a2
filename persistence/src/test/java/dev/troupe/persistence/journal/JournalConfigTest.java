package dev.troupe.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.TroupeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JournalConfigTest {

  @Test
  void defaultsToTheEmbeddedH2JournalUnderTheDataDir() {
    var config = TroupeConfig.load(ConfigFactory.parseString("troupe.data-dir = /tmp/troupe-x"));

    assertThat(config.getString("pekko.persistence.journal.plugin")).isEqualTo("jdbc-journal");
    assertThat(config.getString("pekko.persistence.snapshot-store.plugin")).isEqualTo("jdbc-snapshot-store");
    assertThat(config.getString("troupe.persistence.read-journal-plugin")).isEqualTo("jdbc-read-journal");
    assertThat(config.getString("pekko-persistence-jdbc.shared-databases.slick.db.url"))
        .isEqualTo("jdbc:h2:file:" + Path.of("/tmp/troupe-x/journal") + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE");
  }

  @Test
  void pointsTheCassandraPluginAtTheConfiguredContactPointsAndKeyspaces() {
    var config =
        TroupeConfig.load(
            ConfigFactory.parseString(
                "troupe.persistence { journal = cassandra, cassandra.contact-points = [\"10.0.0.1:9042\"],"
                    + " cassandra.journal-keyspace = j1, cassandra.replication-factor = 3 }"));

    assertThat(config.getString("pekko.persistence.journal.plugin"))
        .isEqualTo("pekko.persistence.cassandra.journal");
    assertThat(config.getStringList("datastax-java-driver.basic.contact-points"))
        .containsExactly("10.0.0.1:9042");
    assertThat(config.getString("pekko.persistence.cassandra.journal.keyspace")).isEqualTo("j1");
    assertThat(config.getBoolean("pekko.persistence.cassandra.journal.tables-autocreate")).isFalse();
    assertThat(config.getInt("pekko.persistence.cassandra.journal.replication-factor")).isEqualTo(3);
    assertThat(config.getInt("pekko.persistence.cassandra.snapshot.replication-factor")).isEqualTo(3);
  }

  @Test
  void refusesAnUnknownJournal() {
    assertThatThrownBy(() -> TroupeConfig.load(ConfigFactory.parseString("troupe.persistence.journal = mysql")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 'h2' or 'cassandra'");
  }
}
