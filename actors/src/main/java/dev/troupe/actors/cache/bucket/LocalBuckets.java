package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The buckets running on this node, readable without a message: each bucket publishes its state
 * here after every change it has applied (for a durable bucket: after the events are in the
 * journal), so a read of a key whose bucket lives on this node is answered from that state, the
 * way the bucket itself would answer it. Only live entries are answered here; an absent or
 * expired key goes to the bucket, which counts the miss and records the expiry.
 *
 * <p>A bucket registers once recovered (or loaded) and unregisters when it stops (passivation,
 * hand-off, shutdown), so a view never outlives its bucket on this node.
 */
public final class LocalBuckets {

  private final ConcurrentHashMap<String, View> views = new ConcurrentHashMap<>();

  /** The live entry of a key, if its bucket runs on this node and holds it; counts the hit. */
  public Optional<Entry> liveEntry(String bucketEntityId, String key, Instant now) {
    View view = views.get(bucketEntityId);
    if (view == null) {
      return Optional.empty();
    }
    BucketState state = view.state;
    Optional<Entry> live = state == null ? Optional.empty() : state.live(key, now);
    if (live.isPresent()) {
      view.hits.increment();
    }
    return live;
  }

  /** How many buckets run on this node (tests, metrics). */
  public int size() {
    return views.size();
  }

  void publish(String bucketEntityId, View view, BucketState state) {
    view.state = state;
    views.put(bucketEntityId, view);
  }

  void remove(String bucketEntityId, View view) {
    views.remove(bucketEntityId, view);
  }

  /** One running bucket's published state and its hit and miss counters. */
  static final class View {
    private volatile BucketState state;
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
  }
}
