package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What audit shows of cache buckets: everything but the cached value bytes (their size instead),
 * which may be large and are the application's data.
 */
public final class BucketViews {

  private BucketViews() {}

  /** A {@link BucketEvent.Stored} without its value. */
  public record StoredView(
      String key,
      long size,
      String contentType,
      long revision,
      Instant storedAt,
      Instant expiresAt,
      List<String> tags,
      List<String> evicted,
      List<String> expired) {}

  /** An entry without its value ({@code size}: the value's bytes). */
  public record EntryView(
      long size,
      String contentType,
      String etag,
      long revision,
      Instant storedAt,
      Instant expiresAt,
      List<String> tags) {}

  /** A {@link BucketState} whose entries have no values. */
  public record StateView(
      Map<String, EntryView> entries, long revision, long evictions, long expirations) {}

  /** The audit view of an event. */
  public static Object event(BucketEvent event) {
    if (event instanceof BucketEvent.Stored s) {
      return new StoredView(
          s.key(), s.size(), s.contentType(), s.revision(), s.storedAt(), s.expiresAt(), s.tags(),
          s.evicted(), s.expired());
    }
    return event;
  }

  /** The audit view of a state. */
  public static Object state(BucketState state) {
    Map<String, EntryView> entries = new LinkedHashMap<>();
    for (Entry e : state.entries().values()) {
      entries.put(
          e.key(),
          new EntryView(
              e.value().length, e.contentType(), e.etag(), e.revision(), e.storedAt(), e.expiresAt(),
              e.tags()));
    }
    return new StateView(entries, state.revision(), state.evictions(), state.expirations());
  }
}
