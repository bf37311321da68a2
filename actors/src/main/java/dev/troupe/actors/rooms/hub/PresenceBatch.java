package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceMeta;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins and leaves gathered until the next batch goes out. Receivers apply the leaves before the
 * joins.
 *
 * <p>A {@linkplain #netted() netted} batch (what a hub sends to the other nodes, whose view of its
 * node changes only through these batches) cancels changes per connection: a connection that joins
 * and leaves within one batch is never mentioned, one that leaves and comes back is unchanged.
 *
 * <p>A {@linkplain #forClients() client} batch never drops a leave: a client that joined in the
 * middle of the batch got a snapshot that already had the join (or lacked the leaver), so a join
 * then leave still says the leave (a client that never saw the join ignores it), and a leave then
 * join says both.
 */
final class PresenceBatch {

  /** One connection of a user. */
  record Change(String user, PresenceMeta meta) {}

  /** A part of a drained batch. */
  record Part(Map<String, List<PresenceMeta>> joins, Map<String, List<PresenceMeta>> leaves) {}

  private final Map<String, Change> joins = new LinkedHashMap<>();
  private final Map<String, Change> leaves = new LinkedHashMap<>();
  private final boolean netting;

  private PresenceBatch(boolean netting) {
    this.netting = netting;
  }

  /** A batch for other nodes: changes that cancel out within it are left out. */
  static PresenceBatch netted() {
    return new PresenceBatch(true);
  }

  /** A batch for local clients: every leave is kept (clients may have seen the join). */
  static PresenceBatch forClients() {
    return new PresenceBatch(false);
  }

  void joined(String user, PresenceMeta meta) {
    if (netting && leaves.remove(meta.connection()) != null) {
      return;
    }
    joins.put(meta.connection(), new Change(user, meta));
  }

  void left(String user, PresenceMeta meta) {
    if (joins.remove(meta.connection()) != null && netting) {
      return;
    }
    leaves.put(meta.connection(), new Change(user, meta));
  }

  boolean isEmpty() {
    return joins.isEmpty() && leaves.isEmpty();
  }

  int size() {
    return joins.size() + leaves.size();
  }

  Map<String, List<PresenceMeta>> joins() {
    return byUser(joins.values());
  }

  Map<String, List<PresenceMeta>> leaves() {
    return byUser(leaves.values());
  }

  void clear() {
    joins.clear();
    leaves.clear();
  }

  /**
   * Empties the batch into parts of at most {@code max} connections each (leaves first, so a part
   * never needs a later one to be applied right).
   */
  List<Part> drain(int max) {
    List<Part> parts = new ArrayList<>();
    List<Change> leaving = new ArrayList<>(leaves.values());
    List<Change> joining = new ArrayList<>(joins.values());
    clear();
    int l = 0;
    int j = 0;
    while (l < leaving.size() || j < joining.size()) {
      int leaveEnd = Math.min(leaving.size(), l + max);
      int joinEnd = Math.min(joining.size(), j + max - (leaveEnd - l));
      parts.add(new Part(byUser(joining.subList(j, joinEnd)), byUser(leaving.subList(l, leaveEnd))));
      l = leaveEnd;
      j = joinEnd;
    }
    return parts;
  }

  static Map<String, List<PresenceMeta>> byUser(Collection<Change> changes) {
    Map<String, List<PresenceMeta>> users = new LinkedHashMap<>();
    for (Change change : changes) {
      users.computeIfAbsent(change.user(), u -> new ArrayList<>(1)).add(change.meta());
    }
    return users;
  }

  /** Splits a user map into maps of at most {@code max} connections (at least one map). */
  static List<Map<String, List<PresenceMeta>>> chunks(Map<String, List<PresenceMeta>> users, int max) {
    List<Map<String, List<PresenceMeta>>> chunks = new ArrayList<>();
    Map<String, List<PresenceMeta>> current = new LinkedHashMap<>();
    int size = 0;
    for (Map.Entry<String, List<PresenceMeta>> entry : users.entrySet()) {
      for (PresenceMeta meta : entry.getValue()) {
        if (size == max) {
          chunks.add(current);
          current = new LinkedHashMap<>();
          size = 0;
        }
        current.computeIfAbsent(entry.getKey(), u -> new ArrayList<>(1)).add(meta);
        size++;
      }
    }
    chunks.add(current);
    return chunks;
  }
}
