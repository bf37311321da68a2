package dev.troupe.actors.cache.bucket;

import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** What a cache bucket answers. */
public final class BucketReply {

  private BucketReply() {}

  /**
   * An entry as stored in a bucket.
   *
   * @param revision the bucket's put counter at this put
   */
  public record Entry(
      String key,
      byte[] value,
      String contentType,
      long revision,
      Instant storedAt,
      Instant expiresAt,
      List<String> tags)
      implements TroupeSerializable {

    public Entry {
      tags = List.copyOf(tags);
    }

    /**
     * The entry's etag: its write time and the bucket's put counter, so a key deleted and stored
     * again (even after a non-durable bucket lost its counter) gets a new one.
     */
    public String etag() {
      return Long.toString(storedAt.toEpochMilli(), 36) + "." + Long.toString(revision, 36);
    }

    public long size() {
      return value.length;
    }

    /** Equal when every component is, the value compared by content. */
    @Override
    public boolean equals(Object other) {
      return other instanceof Entry e
          && revision == e.revision
          && key.equals(e.key)
          && Arrays.equals(value, e.value)
          && Objects.equals(contentType, e.contentType)
          && storedAt.equals(e.storedAt)
          && expiresAt.equals(e.expiresAt)
          && tags.equals(e.tags);
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, Arrays.hashCode(value), contentType, revision, storedAt, expiresAt, tags);
    }

    /** Shows the value's size, not its bytes. */
    @Override
    public String toString() {
      return "Entry[key=" + key + ", size=" + value.length + ", contentType=" + contentType
          + ", revision=" + revision + ", storedAt=" + storedAt + ", expiresAt=" + expiresAt
          + ", tags=" + tags + "]";
    }
  }

  /** The answer to Get: the live entry, or null. */
  public record Got(Entry entry) implements TroupeSerializable {}

  /** The answer to Put and Fill. */
  public sealed interface PutReply extends TroupeSerializable {}

  /** Stored under this etag until expiresAt. */
  public record Stored(String etag, Instant expiresAt) implements PutReply {}

  /** A precondition did not hold; the current entry's etag, or null when absent. */
  public record PreconditionFailed(String currentEtag) implements PutReply {}

  /** The answer to Delete. */
  public record Deleted(boolean existed) implements TroupeSerializable {}

  /** How many entries a flush or an invalidation removed. */
  public record Count(int count) implements TroupeSerializable {}

  /** One bucket's figures. */
  public record Stats(long entries, long bytes, long hits, long misses, long evictions, long expirations)
      implements TroupeSerializable {}

  /** The answer to Acquire. */
  public sealed interface AcquireReply extends TroupeSerializable {}

  /** A live entry: no load needed. */
  public record Found(Entry entry) implements AcquireReply {}

  /** The caller holds the load lease for the key: load, then Fill or Abandon. */
  public record Granted(String leaseId) implements AcquireReply {}
}
