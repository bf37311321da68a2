package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import java.util.Collection;
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
   * The map changed the way the events changed the bucket's entries: each store puts one entry
   * and removes what it evicted or expired, deletes and expiries remove their keys. The removals
   * of a flush or an invalidation are taken against the map as it is now, not only the bucket's
   * own entries: the replica may hold entries the bucket never saw (merged by gossip after a
   * start-up read that missed them), which must not survive. Apart from those two, the cost is in
   * the number of keys changed, not in the size of the bucket.
   */
  static LWWMap<String, Entry> update(
      LWWMap<String, Entry> map, SelfUniqueAddress self, List<BucketEvent> events) {
    LWWMap<String, Entry> result = map;
    for (BucketEvent event : events) {
      if (event instanceof BucketEvent.Stored s) {
        result = removeAll(result, self, s.evicted());
        result = removeAll(result, self, s.expired());
        result = result.put(self, s.key(), s.entry());
      } else if (event instanceof BucketEvent.Deleted d) {
        result = removeAll(result, self, List.of(d.key()));
      } else if (event instanceof BucketEvent.Expired e) {
        result = removeAll(result, self, e.keys());
      } else if (event instanceof BucketEvent.Invalidated i) {
        Set<String> tagged = new HashSet<>(i.keys());
        result.getEntries().forEach((key, entry) -> {
          if (entry.tags().contains(i.tag())) {
            tagged.add(key);
          }
        });
        result = removeAll(result, self, tagged);
      } else if (event instanceof BucketEvent.Flushed) {
        result = removeAll(result, self, result.getEntries().keySet());
      }
    }
    return result;
  }

  private static LWWMap<String, Entry> removeAll(
      LWWMap<String, Entry> map, SelfUniqueAddress self, Collection<String> keys) {
    LWWMap<String, Entry> result = map;
    for (String key : keys) {
      if (result.contains(key)) {
        result = result.remove(self, key);
      }
    }
    return result;
  }
}
