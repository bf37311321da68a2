package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
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

  public static final BucketState EMPTY = new BucketState(BucketEntries.EMPTY, 0, 0, 0);

  public BucketState {
    entries = BucketEntries.of(entries);
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
    return ((BucketEntries) entries).bytes();
  }

  /** The earliest expiry among the entries, or empty when there are none. */
  public Optional<Instant> earliestExpiry() {
    return ((BucketEntries) entries).earliestExpiry();
  }

  /** The state after an event. Pure. */
  public BucketState apply(BucketEvent event) {
    if (event instanceof BucketEvent.Flushed) {
      return new BucketState(BucketEntries.EMPTY, revision, evictions, expirations);
    }
    TreeMap<String, Entry> next = ((BucketEntries) entries).toTreeMap();
    long[] bytes = {bytes()};
    if (event instanceof BucketEvent.Stored s) {
      boolean dropped = removeAll(next, s.evicted(), bytes) + removeAll(next, s.expired(), bytes) > 0;
      Entry stored = s.entry();
      Entry replaced = next.put(s.key(), stored);
      bytes[0] += stored.size() - (replaced == null ? 0 : replaced.size());
      return new BucketState(
          BucketEntries.owning(next, bytes[0], earliestAfterStore(stored, replaced, dropped)),
          Math.max(revision, s.revision()),
          evictions + s.evicted().size(),
          expirations + s.expired().size());
    } else if (event instanceof BucketEvent.Deleted d) {
      removeAll(next, List.of(d.key()), bytes);
      return new BucketState(BucketEntries.owning(next, bytes[0], null), revision, evictions, expirations);
    } else if (event instanceof BucketEvent.Invalidated i) {
      removeAll(next, i.keys(), bytes);
      return new BucketState(BucketEntries.owning(next, bytes[0], null), revision, evictions, expirations);
    } else if (event instanceof BucketEvent.Expired e) {
      int removed = removeAll(next, e.keys(), bytes);
      return new BucketState(
          BucketEntries.owning(next, bytes[0], null), revision, evictions, expirations + removed);
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  /**
   * The earliest expiry after a store, without a scan when it is known before and the store
   * removed nothing that could have been it; null (computed on demand) otherwise.
   */
  private Optional<Instant> earliestAfterStore(Entry stored, Entry replaced, boolean dropped) {
    if (dropped || entries.isEmpty()) {
      return dropped ? null : Optional.of(stored.expiresAt());
    }
    Optional<Instant> before = earliestExpiry();
    if (replaced != null && !replaced.expiresAt().isAfter(before.orElseThrow())) {
      return null;
    }
    Instant earlier =
        stored.expiresAt().isBefore(before.orElseThrow()) ? stored.expiresAt() : before.orElseThrow();
    return Optional.of(earlier);
  }

  /** Removes the keys; how many were there. Their sizes are taken off {@code bytes[0]}. */
  private static int removeAll(Map<String, Entry> map, Collection<String> keys, long[] bytes) {
    int removed = 0;
    for (String key : keys) {
      Entry entry = map.remove(key);
      if (entry != null) {
        bytes[0] -= entry.size();
        removed++;
      }
    }
    return removed;
  }
}
