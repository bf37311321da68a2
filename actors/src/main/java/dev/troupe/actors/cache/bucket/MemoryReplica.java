package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;

/**
 * How a memory bucket's entries are kept in Distributed Data: one {@code LWWMap<key, Entry>} per
 * bucket under {@code cache-mem|<entityId>}. Only entries are replicated; the put counter restarts
 * from the highest entry revision, and eviction and expiration counters from zero.
 */
final class MemoryReplica {

  private MemoryReplica() {}

  /** The Distributed Data key of a bucket. */
  static Key<LWWMap<String, Entry>> key(String entityId) {
    return LWWMapKey.create("cache-mem|" + entityId);
  }

  /** The state a bucket starts with from its replicated entries. */
  static BucketState stateOf(Map<String, Entry> entries) {
    long revision = 0;
    for (Entry entry : entries.values()) {
      revision = Math.max(revision, entry.revision());
    }
    return new BucketState(entries, revision, 0, 0);
  }

  /**
   * The map changed the way the bucket's entries changed from {@code before} to {@code after}
   * through {@code events}. The removals of a flush or an invalidation are taken against the
   * map as it is now, not only the bucket's own entries: the replica may hold entries the bucket
   * never saw (merged by gossip after a start-up read that missed them), which must not survive.
   */
  static LWWMap<String, Entry> update(
      LWWMap<String, Entry> map,
      SelfUniqueAddress self,
      Map<String, Entry> before,
      Map<String, Entry> after,
      List<BucketEvent> events) {
    Set<String> removed = new HashSet<>();
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        removed.add(key);
      }
    }
    Map<String, Entry> current = map.getEntries();
    for (BucketEvent event : events) {
      if (event instanceof BucketEvent.Flushed) {
        removed.addAll(current.keySet());
      } else if (event instanceof BucketEvent.Invalidated i) {
        current.forEach(
            (key, entry) -> {
              if (entry.tags().contains(i.tag())) {
                removed.add(key);
              }
            });
      }
    }
    LWWMap<String, Entry> result = map;
    for (String key : removed) {
      if (!after.containsKey(key)) {
        result = result.remove(self, key);
      }
    }
    for (Map.Entry<String, Entry> e : after.entrySet()) {
      if (before.get(e.getKey()) != e.getValue()) {
        result = result.put(self, e.getKey(), e.getValue());
      }
    }
    return result;
  }
}
