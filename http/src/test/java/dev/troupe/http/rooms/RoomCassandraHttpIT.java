package dev.troupe.http.rooms;

import com.typesafe.config.Config;
import dev.troupe.http.NodeRuntime;
import dev.troupe.http.testkit.TestNodes;
import dev.troupe.persistence.testkit.SharedCassandra;

/**
 * Posting, history and resume ({@link RoomResumeHttpIT}) on the Cassandra journal: the test JVM's
 * shared Cassandra server ({@link SharedCassandra}), started on first use.
 */
class RoomCassandraHttpIT extends RoomResumeHttpIT {

  @Override
  protected NodeRuntime startNode(Config config) throws Exception {
    return TestNodes.cassandra(SharedCassandra.contactPoint(), config);
  }
}
