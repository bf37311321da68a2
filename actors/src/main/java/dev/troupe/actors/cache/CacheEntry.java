package dev.troupe.actors.cache;

import java.time.Instant;
import java.util.List;

/**
 * A stored value as a reader sees it.
 *
 * @param key the key within its namespace
 * @param value the stored bytes (shared: do not change them)
 * @param contentType the media type it was stored with
 * @param etag an opaque version, unique per put of this key (without the quotes HTTP adds)
 * @param storedAt when the value was written
 * @param expiresAt when it stops being answered (absolute, so it holds across restarts)
 * @param tags the tags it was stored with
 */
public record CacheEntry(
    String key,
    byte[] value,
    String contentType,
    String etag,
    Instant storedAt,
    Instant expiresAt,
    List<String> tags) {

  public CacheEntry {
    tags = List.copyOf(tags);
  }
}
