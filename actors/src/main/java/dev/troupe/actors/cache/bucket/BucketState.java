package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A cache bucket's entries and counters; also the durable bucket's snapshot. Immutable: {@link
 * #apply} returns a copy. Holds expired entries until an event removes them, so readers must use
 * {@link #live}.
 *
 * @param entries the entries by key (sorted, so snapshots serialize the same way every time)
 * @param revision the put counter: the revision of the latest store
 * @param evictions live entries ever evicted to make room
 * @param expirations entries ever removed because their time had passed
 */
public record BucketState(
    Map<String, Entry> entries, long revision, long evictions, long expirations)
    implements TroupeSerializable {

  public static final BucketState EMPTY = new BucketState(Map.of(), 0, 0, 0);

  public BucketState {
    entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  /** The entry under key if it has not expired at {@code now}. */
  public Optional<Entry> live(String key, Instant now) {
    Entry entry = entries.get(key);
    return entry == null || expired(entry, now) ? Optional.empty() : Optional.of(entry);
  }

  /** Whether an entry's time has passed at {@code now} (it expires at exactly expiresAt). */
  public static boolean expired(Entry entry, Instant now) {
    return !entry.expiresAt().isAfter(now);
  }

  /** The bytes all entries count for ({@link Entry#size()}: value, key, metadata). */
  public long bytes() {
    long bytes = 0;
    for (Entry entry : entries.values()) {
      bytes += entry.size();
    }
    return bytes;
  }

  /** The earliest expiry among the entries, or empty when there are none. */
  public Optional<Instant> earliestExpiry() {
    return entries.values().stream().map(Entry::expiresAt).min(Instant::compareTo);
  }

  /** The state after an event. Pure. */
  public BucketState apply(BucketEvent event) {
    TreeMap<String, Entry> next = new TreeMap<>(entries);
    if (event instanceof BucketEvent.Stored s) {
      removeAll(next, s.evicted());
      removeAll(next, s.expired());
      next.put(s.key(), s.entry());
      return new BucketState(
          next,
          Math.max(revision, s.revision()),
          evictions + s.evicted().size(),
          expirations + s.expired().size());
    } else if (event instanceof BucketEvent.Deleted d) {
      next.remove(d.key());
      return new BucketState(next, revision, evictions, expirations);
    } else if (event instanceof BucketEvent.Invalidated i) {
      removeAll(next, i.keys());
      return new BucketState(next, revision, evictions, expirations);
    } else if (event instanceof BucketEvent.Flushed) {
      return new BucketState(Map.of(), revision, evictions, expirations);
    } else if (event instanceof BucketEvent.Expired e) {
      int removed = removeAll(next, e.keys());
      return new BucketState(next, revision, evictions, expirations + removed);
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  private static int removeAll(Map<String, Entry> map, Collection<String> keys) {
    int removed = 0;
    for (String key : keys) {
      if (map.remove(key) != null) {
        removed++;
      }
    }
    return removed;
  }
}
