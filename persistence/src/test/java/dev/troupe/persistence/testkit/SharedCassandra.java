package dev.troupe.persistence.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.cassandra.CassandraLibrary;
import dev.troupe.persistence.cassandra.CassandraSchema;
import dev.troupe.persistence.cassandra.CassandraServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One real Cassandra server per test JVM, shared by every test that needs one (the rule: one
 * Cassandra per module test JVM, since each costs about 1.5 GB and 10 s to start).
 *
 * <p>{@link #get()} starts it on first use, on free ports, with its data under {@code
 * target/cassandra-<random>} of the module being tested, and creates the plugin's schema with
 * keyspaces {@value #JOURNAL_KEYSPACE} and {@value #SNAPSHOT_KEYSPACE}. A JVM shutdown hook stops
 * it. Tests must not close the server or the {@link #session()}; they share the keyspaces, so they
 * use persistence ids and tables of their own.
 *
 * <p>Other modules get this class from the persistence module's test-jar.
 */
public final class SharedCassandra {

  /** The journal keyspace created on the shared server. */
  public static final String JOURNAL_KEYSPACE = "troupe";

  /** The snapshot keyspace created on the shared server. */
  public static final String SNAPSHOT_KEYSPACE = "troupe_snapshot";

  private static CassandraServer server;
  private static CqlSession session;
  // A failed start is remembered: every later test fails at once with the same cause instead of
  // waiting minutes for another doomed start.
  private static RuntimeException failure;

  private SharedCassandra() {}

  /** The running shared server, started (with its schema) on first call. */
  public static synchronized CassandraServer get() {
    if (failure != null) {
      throw new IllegalStateException("the shared Cassandra server failed to start", failure);
    }
    if (server == null) {
      try {
        start();
      } catch (RuntimeException e) {
        failure = e;
        stop();
        throw e;
      }
    }
    return server;
  }

  /** A session to the shared server, owned by this class: do not close it. */
  public static synchronized CqlSession session() {
    get();
    return session;
  }

  /** The shared server's contact point, {@code 127.0.0.1:<port>}. */
  public static String contactPoint() {
    return get().contactPoint();
  }

  /**
   * Troupe's own settings ({@code troupe.persistence.*}) that point a node at the shared server and
   * its keyspaces. Put them in front of a test's overrides and load those with {@link
   * dev.troupe.persistence.TroupeConfig#load(Config)}, which derives the plugin settings (journal
   * and snapshot plugins, keyspaces, driver contact points and datacenter) from them.
   */
  public static Config config() {
    return ConfigFactory.parseMap(
        Map.of(
            "troupe.persistence.journal",
            "cassandra",
            "troupe.persistence.cassandra.contact-points",
            List.of(contactPoint()),
            "troupe.persistence.cassandra.local-datacenter",
            CassandraSchema.LOCAL_DATACENTER,
            "troupe.persistence.cassandra.journal-keyspace",
            JOURNAL_KEYSPACE,
            "troupe.persistence.cassandra.snapshot-keyspace",
            SNAPSHOT_KEYSPACE),
        "SharedCassandra");
  }

  private static void start() {
    Path lib = CassandraLibrary.resolve(CassandraLibrary.troupeHome());
    Path target = Path.of(System.getProperty("user.dir")).resolve("target");
    // A test JVM killed outright (e.g. by a surefire timeout) cannot stop its server.
    CassandraServer.stopOrphans(target);
    Path dataDir = target.resolve("cassandra-" + UUID.randomUUID().toString().substring(0, 8));
    server = CassandraServer.startOnFreePorts(lib, dataDir);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(SharedCassandra::stop, "shared-cassandra-stop"));
    session = CassandraSchema.connect(server.contactPoint(), Duration.ofSeconds(60));
    CassandraSchema.create(session, JOURNAL_KEYSPACE, SNAPSHOT_KEYSPACE, 1);
  }

  private static synchronized void stop() {
    if (session != null) {
      session.close();
      session = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
