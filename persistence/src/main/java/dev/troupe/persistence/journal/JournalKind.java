package dev.troupe.persistence.journal;

import java.util.Locale;

/** Which store holds the event journal and snapshots. */
public enum JournalKind {
  /** Embedded H2 files through pekko-persistence-jdbc: one node, no other service. */
  H2("jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal"),
  /** Apache Cassandra through pekko-persistence-cassandra: the production store for clusters. */
  CASSANDRA(
      "pekko.persistence.cassandra.journal",
      "pekko.persistence.cassandra.snapshot",
      "pekko.persistence.cassandra.query");

  private final String journalPlugin;
  private final String snapshotPlugin;
  private final String readJournalPlugin;

  JournalKind(String journalPlugin, String snapshotPlugin, String readJournalPlugin) {
    this.journalPlugin = journalPlugin;
    this.snapshotPlugin = snapshotPlugin;
    this.readJournalPlugin = readJournalPlugin;
  }

  public String journalPlugin() {
    return journalPlugin;
  }

  public String snapshotPlugin() {
    return snapshotPlugin;
  }

  public String readJournalPlugin() {
    return readJournalPlugin;
  }

  /** Parses {@code h2} or {@code cassandra}, case-insensitively. */
  public static JournalKind parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown journal '" + name + "': expected 'h2' or 'cassandra'", e);
    }
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
