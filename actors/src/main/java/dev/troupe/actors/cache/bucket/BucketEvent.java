package dev.troupe.actors.cache.bucket;

import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What happened to a cache bucket. Durable buckets persist these; memory buckets apply the same
 * events without persisting them. {@link BucketState#apply} folds them.
 */
public sealed interface BucketEvent extends AuditedEvent {

  /**
   * A value was stored (by a put or a getOrCompute fill).
   *
   * @param revision the bucket's put counter after this put
   * @param evicted live keys dropped (oldest written first) to make room
   * @param expired expired keys dropped to make room
   */
  record Stored(
      AuditRecord audit,
      String key,
      byte[] value,
      String contentType,
      long revision,
      Instant storedAt,
      Instant expiresAt,
      List<String> tags,
      List<String> evicted,
      List<String> expired)
      implements BucketEvent {

    public Stored {
      tags = List.copyOf(tags);
      evicted = List.copyOf(evicted);
      expired = List.copyOf(expired);
    }

    /** The entry this event stores. */
    public BucketReply.Entry entry() {
      return new BucketReply.Entry(key, value, contentType, revision, storedAt, expiresAt, tags);
    }

    /** The stored value's size in bytes. */
    public long size() {
      return value.length;
    }

    /** Equal when every component is, the value compared by content. */
    @Override
    public boolean equals(Object other) {
      return other instanceof Stored s
          && revision == s.revision
          && audit.equals(s.audit)
          && key.equals(s.key)
          && Arrays.equals(value, s.value)
          && Objects.equals(contentType, s.contentType)
          && storedAt.equals(s.storedAt)
          && expiresAt.equals(s.expiresAt)
          && tags.equals(s.tags)
          && evicted.equals(s.evicted)
          && expired.equals(s.expired);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          audit, key, Arrays.hashCode(value), contentType, revision, storedAt, expiresAt, tags,
          evicted, expired);
    }

    /** Shows the value's size, not its bytes. */
    @Override
    public String toString() {
      return "Stored[audit=" + audit + ", key=" + key + ", size=" + value.length + ", contentType="
          + contentType + ", revision=" + revision + ", storedAt=" + storedAt + ", expiresAt="
          + expiresAt + ", tags=" + tags + ", evicted=" + evicted + ", expired=" + expired + "]";
    }
  }

  /** A key was removed by a delete. */
  record Deleted(AuditRecord audit, String key) implements BucketEvent {}

  /** The keys carrying a tag were removed. */
  record Invalidated(AuditRecord audit, String tag, List<String> keys) implements BucketEvent {

    public Invalidated {
      keys = List.copyOf(keys);
    }
  }

  /** Every entry was removed; {@code count} live ones. */
  record Flushed(AuditRecord audit, int count) implements BucketEvent {}

  /** Entries whose time had passed were removed (on read or by a sweep). */
  record Expired(AuditRecord audit, List<String> keys) implements BucketEvent {

    public Expired {
      keys = List.copyOf(keys);
    }
  }
}
