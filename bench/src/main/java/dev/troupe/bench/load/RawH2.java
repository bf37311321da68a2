package dev.troupe.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import java.util.UUID;

/**
 * Raw JDBC inserts into an H2 file database, one row per operation (batch size 1, auto-commit),
 * into a table created from pekko-persistence-jdbc's own {@code schema/h2/h2-create-schema.sql}:
 * the same {@code event_journal} row the journal plugin writes for one event (same payload size,
 * serializer id and manifest as the node's events).
 */
final class RawH2 {

  static final String INSERT =
      "INSERT INTO \"event_journal\" (\"deleted\", \"persistence_id\", \"sequence_number\", \"writer\","
          + " \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\","
          + " \"event_ser_manifest\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private RawH2() {}

  /** The H2 settings the node's journal uses ({@code DATABASE_TO_UPPER=false}). */
  static String tcpUrl(int port) {
    return "jdbc:h2:tcp://127.0.0.1:" + port + "/raw;DATABASE_TO_UPPER=false";
  }

  static String fileUrl(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("raw") + ";DATABASE_TO_UPPER=false";
  }

  /** Creates the plugin's tables from the DDL shipped in the plugin's jar. */
  static void createSchema(String url) throws SQLException, IOException {
    String ddl;
    try (InputStream in = RawH2.class.getClassLoader().getResourceAsStream("schema/h2/h2-create-schema.sql")) {
      if (in == null) {
        throw new IllegalStateException("schema/h2/h2-create-schema.sql is not on the classpath (pekko-persistence-jdbc)");
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
      for (String statement : ddl.split(";")) {
        if (!statement.isBlank()) {
          s.execute(statement);
        }
      }
    }
  }

  /** Worker {@code index}'s operation: one insert on its own connection, into its own entities. */
  static ClosedLoop.Operation operation(String url, EntitySpread entities, int index, RowShape row) throws SQLException {
    Connection connection = DriverManager.getConnection(url, "sa", "");
    connection.setAutoCommit(true);
    PreparedStatement insert = connection.prepareStatement(INSERT);
    String writer = UUID.randomUUID().toString();
    byte[] payload = new byte[row.bytes()];
    new Random(index).nextBytes(payload);
    EntitySpread.Cursor cursor = entities.cursor(index);
    return ClosedLoop.Operation.closing(connection, () -> {
      int entity = cursor.next();
      insert.setBoolean(1, false);
      insert.setString(2, entities.persistenceId(entity));
      insert.setLong(3, cursor.nextSequenceNr(entity));
      insert.setString(4, writer);
      insert.setLong(5, System.currentTimeMillis());
      insert.setString(6, "");
      insert.setBytes(7, payload);
      insert.setInt(8, row.serializerId());
      insert.setString(9, row.manifest());
      insert.executeUpdate();
    });
  }
}
