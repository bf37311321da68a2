package dev.troupe.http;

import com.typesafe.config.Config;
import dev.troupe.http.testkit.TestNodes;
import dev.troupe.persistence.testkit.SharedCassandra;

/**
 * The cache's HTTP contract ({@link CacheHttpIT}) on the Cassandra journal: the test JVM's shared
 * Cassandra server ({@link SharedCassandra}), started on first use.
 */
class CacheCassandraHttpIT extends CacheHttpIT {

  @Override
  protected NodeRuntime startNode(Config config) throws Exception {
    return TestNodes.cassandra(SharedCassandra.contactPoint(), config);
  }
}
