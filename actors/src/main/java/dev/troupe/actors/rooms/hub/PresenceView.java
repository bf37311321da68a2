package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.PresenceState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everyone present in one room as one hub sees it: node, then user, then connection. A user is one
 * entry however many connections (tabs, devices, nodes) it has. Every change is also recorded in
 * the {@link PresenceBatch} given, for the next diff.
 */
final class PresenceView {

  /** Connections per user of the list threshold above which frames carry counts only. */
  static final int CONNECTIONS_PER_LISTED_USER = 2;

  private final Map<String, Map<String, Map<String, PresenceMeta>>> byNode = new HashMap<>();
  private final Map<String, Integer> connectionsByUser = new HashMap<>();
  private int connections;

  int userCount() {
    return connectionsByUser.size();
  }

  int connectionCount() {
    return connections;
  }

  /** Adds a connection (its node is {@code meta.node()}); false if it was there already. */
  boolean add(String user, PresenceMeta meta, PresenceBatch changes) {
    Map<String, PresenceMeta> metas =
        byNode.computeIfAbsent(meta.node(), n -> new HashMap<>()).computeIfAbsent(user, u -> new HashMap<>(2));
    if (metas.putIfAbsent(meta.connection(), meta) != null) {
      return false;
    }
    connectionsByUser.merge(user, 1, Integer::sum);
    connections++;
    changes.joined(user, meta);
    return true;
  }

  /** Removes a connection; false if it was not there. */
  boolean remove(String user, PresenceMeta meta, PresenceBatch changes) {
    Map<String, Map<String, PresenceMeta>> users = byNode.get(meta.node());
    Map<String, PresenceMeta> metas = users == null ? null : users.get(user);
    PresenceMeta removed = metas == null ? null : metas.remove(meta.connection());
    if (removed == null) {
      return false;
    }
    if (metas.isEmpty()) {
      users.remove(user);
      if (users.isEmpty()) {
        byNode.remove(meta.node());
      }
    }
    connectionsByUser.computeIfPresent(user, (u, n) -> n == 1 ? null : n - 1);
    connections--;
    changes.left(user, removed);
    return true;
  }

  /** One node's users and their connections. */
  Map<String, List<PresenceMeta>> node(String node) {
    Map<String, List<PresenceMeta>> users = new LinkedHashMap<>();
    byNode
        .getOrDefault(node, Map.of())
        .forEach((user, metas) -> users.put(user, new ArrayList<>(metas.values())));
    return users;
  }

  /** Makes a node's entries exactly {@code users}: what is missing leaves, what is new joins. */
  void replaceNode(String node, Map<String, List<PresenceMeta>> users, PresenceBatch changes) {
    Map<String, Map<String, PresenceMeta>> old = byNode.getOrDefault(node, Map.of());
    List<PresenceBatch.Change> gone = new ArrayList<>();
    old.forEach(
        (user, metas) -> {
          List<PresenceMeta> kept = users.getOrDefault(user, List.of());
          for (PresenceMeta meta : metas.values()) {
            if (kept.stream().noneMatch(k -> k.connection().equals(meta.connection()))) {
              gone.add(new PresenceBatch.Change(user, meta));
            }
          }
        });
    gone.forEach(change -> remove(change.user(), change.meta(), changes));
    users.forEach(
        (user, metas) -> {
          for (PresenceMeta meta : metas) {
            if (node.equals(meta.node())) {
              add(user, meta, changes);
            }
          }
        });
  }

  /** Drops all of a node's entries (it left the cluster). */
  void dropNode(String node, PresenceBatch changes) {
    replaceNode(node, Map.of(), changes);
  }

  /**
   * Whether presence frames list who is present: at most {@code threshold} users and at most
   * {@value #CONNECTIONS_PER_LISTED_USER} times as many connections (a few users with many tabs,
   * devices or bots would otherwise cost a list of every connection per join).
   */
  boolean listed(int threshold) {
    return connectionsByUser.size() <= threshold
        && connections <= (long) threshold * CONNECTIONS_PER_LISTED_USER;
  }

  /** The state now; above the {@linkplain #listed list threshold} the counts only. */
  PresenceState snapshot(String room, int threshold) {
    if (!listed(threshold)) {
      return new PresenceState(room, userCount(), connections, Map.of(), true);
    }
    Map<String, List<PresenceMeta>> users = new LinkedHashMap<>();
    byNode.values()
        .forEach(
            byUser ->
                byUser.forEach(
                    (user, metas) -> users.computeIfAbsent(user, u -> new ArrayList<>()).addAll(metas.values())));
    return new PresenceState(room, userCount(), connections, users, false);
  }
}
