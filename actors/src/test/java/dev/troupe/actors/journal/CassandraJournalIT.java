package dev.troupe.actors.journal;

import com.typesafe.config.Config;
import dev.troupe.persistence.testkit.SharedCassandra;

/** The journal contract on a real Cassandra 5.0, started by the test suite from cassandra-all. */
class CassandraJournalIT extends JournalContract {

  @Override
  protected Config journalConfig() {
    return SharedCassandra.config();
  }
}
