package dev.troupe.actors.cache.bucket;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bucket's entries by key: read-only, sorted (so snapshots serialize the same way every time),
 * and knowing their total {@link BucketReply.Entry#size()} and (mostly) their earliest expiry
 * without a scan. A state change builds the next instance from one linear copy ({@link
 * #toTreeMap}) instead of re-sorting, and carries the bytes and the earliest expiry forward
 * rather than computing them again on every put.
 */
final class BucketEntries extends AbstractMap<String, BucketReply.Entry> {

  static final BucketEntries EMPTY = new BucketEntries(new TreeMap<>(), 0, Optional.empty());

  private final TreeMap<String, BucketReply.Entry> entries;
  private final long bytes;
  /** The earliest expiry, once known (carried forward by stores, else computed on first use). */
  private Optional<Instant> earliest;

  private BucketEntries(
      TreeMap<String, BucketReply.Entry> entries, long bytes, Optional<Instant> earliest) {
    this.entries = entries;
    this.bytes = bytes;
    this.earliest = earliest;
  }

  /** The entries of any map (from deserialization, tests); this instance itself if it is one. */
  static BucketEntries of(Map<String, BucketReply.Entry> entries) {
    if (entries instanceof BucketEntries own) {
      return own;
    }
    TreeMap<String, BucketReply.Entry> copy = new TreeMap<>(entries);
    long bytes = 0;
    for (BucketReply.Entry entry : copy.values()) {
      bytes += entry.size();
    }
    return new BucketEntries(copy, bytes, null);
  }

  /**
   * Takes ownership of a map built from {@link #toTreeMap} whose total size is known, and whose
   * earliest expiry is known too, or null to compute it when first asked.
   */
  static BucketEntries owning(
      TreeMap<String, BucketReply.Entry> entries, long bytes, Optional<Instant> earliest) {
    return new BucketEntries(entries, bytes, earliest);
  }

  /** A mutable copy, linear in the number of entries (they are already sorted). */
  TreeMap<String, BucketReply.Entry> toTreeMap() {
    return new TreeMap<>(entries);
  }

  /** The earliest expiresAt of the entries (empty when there are none). */
  Optional<Instant> earliestExpiry() {
    Optional<Instant> known = earliest;
    if (known == null) {
      known = entries.values().stream().map(BucketReply.Entry::expiresAt).min(Instant::compareTo);
      earliest = known;
    }
    return known;
  }

  /** The sum of the entries' sizes. */
  long bytes() {
    return bytes;
  }

  @Override
  public BucketReply.Entry get(Object key) {
    return entries.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return entries.containsKey(key);
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public Set<Map.Entry<String, BucketReply.Entry>> entrySet() {
    return Collections.unmodifiableMap(entries).entrySet();
  }
}
