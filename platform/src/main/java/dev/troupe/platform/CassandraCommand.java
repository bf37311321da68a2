package dev.troupe.platform;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.cassandra.CassandraLibrary;
import dev.troupe.persistence.cassandra.CassandraSchema;
import dev.troupe.persistence.cassandra.CassandraServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code troupe cassandra}: a local single-node Apache Cassandra for development, run from the
 * {@code cassandra-all} artifact (resolved by Maven on first use), so nobody installs Cassandra by
 * hand to try the production journal. {@code --create-schema} creates Troupe's keyspaces once it
 * is up; with {@code --schema-only} it only creates them on an already running cluster.
 */
@Command(
    name = "cassandra",
    mixinStandardHelpOptions = true,
    description = "Run a local development Cassandra (from cassandra-all) and/or create Troupe's schema.")
public final class CassandraCommand implements Callable<Integer> {

  @Option(names = "--port", defaultValue = "9042", description = "CQL port (default 9042)")
  int port;

  @Option(names = "--storage-port", defaultValue = "7000", description = "inter-node port (default 7000)")
  int storagePort;

  @Option(names = "--data-dir", defaultValue = "data/cassandra", description = "data folder (default ./data/cassandra)")
  Path dataDir;

  @Option(names = "--heap", defaultValue = "1G", description = "server heap (default 1G)")
  String heap;

  @Option(names = "--create-schema", description = "create Troupe's keyspaces and tables once the server is up")
  boolean createSchema;

  @Option(names = "--schema-only", description = "do not start a server: create the schema on --cassandra")
  boolean schemaOnly;

  @Option(names = "--cassandra", defaultValue = "127.0.0.1:9042", description = "contact point for --schema-only")
  String contactPoint;

  @Override
  public Integer call() throws Exception {
    if (schemaOnly) {
      createSchema(contactPoint);
      return 0;
    }
    Path lib = CassandraLibrary.resolve(CassandraLibrary.troupeHome());
    System.out.println("Starting Cassandra with data in " + dataDir.toAbsolutePath() + " ...");
    CassandraServer server =
        CassandraServer.start(
            lib,
            dataDir,
            port,
            storagePort,
            CassandraServer.DEFAULT_READY_TIMEOUT,
            new CassandraServer.Heap(heap, youngGeneration(heap)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "cassandra-stop"));
    if (createSchema) {
      createSchema(server.contactPoint());
    }
    System.out.println(
        "Cassandra listening on "
            + server.contactPoint()
            + ". Start a node with: ./troupe start --journal cassandra --cassandra "
            + server.contactPoint()
            + (createSchema ? "" : " (run once with --create-schema first)")
            + ". Ctrl-C stops it.");
    stopped.await();
    return 0;
  }

  private static void createSchema(String contactPoint) {
    Config config = ConfigFactory.load();
    try (var session = CassandraSchema.connect(contactPoint, Duration.ofSeconds(60))) {
      CassandraSchema.create(
          session,
          config.getString("troupe.persistence.cassandra.journal-keyspace"),
          config.getString("troupe.persistence.cassandra.snapshot-keyspace"),
          config.getInt("troupe.persistence.cassandra.replication-factor"));
    }
    System.out.println("Troupe's keyspaces and tables are in place on " + contactPoint + ".");
  }

  /** A fifth of the heap for the young generation, as Cassandra's own scripts roughly do. */
  private static String youngGeneration(String heap) {
    String digits = heap.replaceAll("[^0-9]", "");
    String unit = heap.replaceAll("[0-9]", "").toUpperCase();
    long mb = Long.parseLong(digits) * (unit.startsWith("G") ? 1024 : 1);
    return Math.max(64, mb / 5) + "M";
  }
}
