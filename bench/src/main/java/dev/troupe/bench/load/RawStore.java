package dev.troupe.bench.load;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The raw-store baseline of {@code persist}: H2 behind its TCP server, or Cassandra. */
interface RawStore extends AutoCloseable {

  String describe();

  /** The store's server process, whose CPU is counted, or 0 when it is not known. */
  long pid();

  ClosedLoop.Operation operation(EntitySpread entities, int index, RowShape row) throws Exception;

  /** The store JVM's cumulative JIT compile time (0 when it is not known). */
  double jitSeconds();

  /** Freezes the store's server process while it is not measured (H2); Cassandra is shared. */
  default void pause() throws Exception {}

  default void resume() throws Exception {}

  @Override
  void close();

  /** An H2 TCP server ({@code org.h2.tools.Server}) on the server cores, files in {@code dir}. */
  static RawStore h2(BenchEnv env, Path dir) throws Exception {
    int port = ServerProcess.freePorts(1)[0];
    List<String> command =
        env.jvm("-cp", env.classpath, "org.h2.tools.Server", "-tcp", "-tcpPort", Integer.toString(port), "-baseDir", dir.toString(), "-ifNotExists");
    ServerProcess server = ServerProcess.start("h2 tcp server", env.serverCpus, command, dir.resolve("h2.log"));
    try {
      server.awaitLog("TCP server running", Duration.ofSeconds(30));
      String url = RawH2.tcpUrl(port);
      RawH2.createSchema(url);
      return new RawStore() {
        @Override
        public String describe() {
          return "JDBC inserts via H2's TCP server (file database)";
        }

        @Override
        public long pid() {
          return server.pid();
        }

        @Override
        public double jitSeconds() {
          return server.jitSeconds();
        }

        @Override
        public ClosedLoop.Operation operation(EntitySpread entities, int index, RowShape row) throws Exception {
          return RawH2.operation(url, entities, index, row);
        }

        @Override
        public void pause() throws Exception {
          server.pause();
        }

        @Override
        public void resume() throws Exception {
          server.resume();
        }

        @Override
        public void close() {
          server.close();
        }
      };
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  /**
   * A java-driver session to the Cassandra the node uses, with a scratch keyspace. Cassandra is
   * shared by both sides, so it is never frozen; {@code pid} (0: unknown) is only read.
   */
  static RawStore cassandra(String contactPoint, long pid) {
    CqlSession session = RawCassandra.connect(contactPoint);
    RawCassandra.createSchema(session);
    PreparedStatement insert = RawCassandra.prepare(session);
    return new RawStore() {
      @Override
      public String describe() {
        return "java-driver inserts into " + RawCassandra.KEYSPACE + ".messages";
      }

      @Override
      public long pid() {
        // Its CPU is counted through --cassandra-pid on both sides already.
        return 0;
      }

      @Override
      public double jitSeconds() {
        return pid > 0 ? ServerProcess.jitCpuSecondsOf(pid) : 0;
      }

      @Override
      public ClosedLoop.Operation operation(EntitySpread entities, int index, RowShape row) {
        return RawCassandra.operation(session, insert, entities, index, row);
      }

      @Override
      public void close() {
        session.close();
      }
    };
  }
}
