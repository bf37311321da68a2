package dev.troupe.actors.cache;

import java.util.Objects;

/**
 * A value to store: its bytes, kept as given, and the content type they are answered with.
 *
 * @param bytes the value; not copied, so do not change the array after handing it over
 * @param contentType a media type, e.g. {@code application/json}
 */
public record CacheValue(byte[] bytes, String contentType) {

  public CacheValue {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(contentType, "contentType");
  }

  /** Bytes with {@code application/octet-stream}. */
  public static CacheValue of(byte[] bytes) {
    return new CacheValue(bytes, "application/octet-stream");
  }
}
