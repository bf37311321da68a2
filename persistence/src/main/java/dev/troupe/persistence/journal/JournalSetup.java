package dev.troupe.persistence.journal;

import com.typesafe.config.Config;
import dev.troupe.persistence.cassandra.CassandraSchema;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the journal's tables exist before a node starts its entities. Runs once at startup,
 * on the starting thread, never inside an actor.
 *
 * <p>H2: the node owns its files, so it creates the tables (idempotently). Cassandra: only a node
 * that forms a new cluster, and only with {@code troupe.persistence.cassandra.create-schema = on};
 * joining nodes never run DDL, so several nodes never race on the schema.
 */
public final class JournalSetup {

  private static final Logger log = LoggerFactory.getLogger(JournalSetup.class);

  private JournalSetup() {}

  public static void prepare(ActorSystem<?> system, boolean formsCluster, Duration timeout) {
    Config config = system.settings().config();
    JournalKind kind = JournalConfig.kindOf(config);
    try {
      if (kind == JournalKind.H2) {
        SchemaUtils.createIfNotExists(system)
            .toCompletableFuture()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } else if (config.getBoolean("troupe.persistence.cassandra.create-schema")) {
        if (formsCluster) {
          String contactPoint =
              config.getStringList("troupe.persistence.cassandra.contact-points").get(0);
          try (var session = CassandraSchema.connect(contactPoint, timeout)) {
            CassandraSchema.create(system, session);
          }
          log.info("Cassandra keyspaces and tables are in place");
        } else {
          log.info("joining an existing cluster: leaving Cassandra schema creation to its first node");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing the journal", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the " + kind.configName() + " journal", e);
    }
  }
}
