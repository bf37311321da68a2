package dev.troupe.bench.load;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import dev.troupe.persistence.cassandra.CassandraSchema;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Raw java-driver inserts into Cassandra, one statement per operation (batch size 1), into a
 * {@code messages} table created with exactly the DDL Troupe uses for pekko-persistence-cassandra's
 * journal table, in a scratch keyspace: the same row the plugin writes for one tagged event.
 */
final class RawCassandra {

  static final String KEYSPACE = "bench_raw";

  private RawCassandra() {}

  static CqlSession connect(String contactPoint) {
    return CassandraSchema.connect(contactPoint, Duration.ofSeconds(60));
  }

  /** Creates the scratch keyspace and its {@code messages} table (idempotent). */
  static void createSchema(CqlSession session) {
    List<String> ddl = CassandraSchema.statements(KEYSPACE, KEYSPACE + "_snapshot", 1);
    // 0: the journal keyspace, 1: its messages table.
    for (String statement : ddl.subList(0, 2)) {
      session.execute(SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(60)));
    }
  }

  static PreparedStatement prepare(CqlSession session) {
    return session.prepare(
        "INSERT INTO " + KEYSPACE + ".messages (persistence_id, partition_nr, sequence_nr, timestamp,"
            + " timebucket, writer_uuid, ser_id, ser_manifest, event_manifest, event, tags)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }

  /** Worker {@code index}'s operation: one synchronous insert into one of its own entities. */
  static ClosedLoop.Operation operation(
      CqlSession session, PreparedStatement insert, EntitySpread entities, int index, RowShape row) {
    String writer = UUID.randomUUID().toString();
    byte[] bytes = new byte[row.bytes()];
    new Random(index).nextBytes(bytes);
    ByteBuffer payload = ByteBuffer.wrap(bytes);
    Set<String> tags = Set.of("bench-" + (index % 4));
    EntitySpread.Cursor cursor = entities.cursor(index);
    return () -> {
      int entity = cursor.next();
      long now = System.currentTimeMillis();
      session.execute(
          insert.bind(
              entities.persistenceId(entity),
              0L,
              cursor.nextSequenceNr(entity),
              Uuids.timeBased(),
              Long.toString(now - now % 3_600_000L),
              writer,
              row.serializerId(),
              row.manifest(),
              "",
              payload.duplicate(),
              tags));
    };
  }
}
