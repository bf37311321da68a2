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

    /**
     * What the entry counts for against its bucket's byte limit and in the {@code bytes} stat: the
     * value, the UTF-8 bytes of the key, content type and tags, and {@link #OVERHEAD} bytes of
     * bookkeeping (etag, times, revision, framing). Close to the entry's share of a replicated
     * memory bucket, so a bucket kept under its byte cap fits in a remoting frame.
     */
    public long size() {
      return sizeOf(key, value.length, contentType, tags);
    }

    /** Bytes counted per entry beyond its value, key, content type and tags. */
    public static final int OVERHEAD = 64;

    /** The {@link #size()} of an entry with these parts. */
    public static long sizeOf(String key, long valueBytes, String contentType, List<String> tags) {
      long size = OVERHEAD + valueBytes + utf8Length(key) + utf8Length(contentType);
      for (String tag : tags) {
        size += utf8Length(tag);
      }
      return size;
    }

    private static long utf8Length(String s) {
      if (s == null) {
        return 0;
      }
      long length = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          length += 1;
        } else if (c < 0x800) {
          length += 2;
        } else if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          length += 4;
          i++;
        } else {
          length += 3;
        }
      }
      return length;
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

  /**
   * The answer to a Fill whose lease had passed on (or ended) while a live entry was stored
   * meanwhile, by another holder's fill or a put: the fill's value was not stored, and this is
   * the live entry to use instead.
   */
  public record Superseded(Entry entry) implements PutReply {}

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
