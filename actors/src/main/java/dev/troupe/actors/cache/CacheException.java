package dev.troupe.actors.cache;

import java.util.Optional;

/**
 * A cache request refused for a reason the caller can act on. The HTTP edge maps each kind to
 * its status; the Java API fails the returned stage with it.
 */
public final class CacheException extends RuntimeException {

  /** Why a request was refused. */
  public enum Kind {
    /** Malformed namespace, tag, ttl or option (400). */
    INVALID,
    /** The key is longer than {@code max-key-bytes} (414). */
    KEY_TOO_LONG,
    /** The value is larger than {@code max-value-size} (413). */
    TOO_LARGE,
    /** {@code ifMatch} did not match, or {@code ifAbsent} found an entry (412). */
    PRECONDITION_FAILED,
    /** The bucket did not answer in time, or a computation's lease could not be had (503). */
    UNAVAILABLE
  }

  private final Kind kind;
  private final transient Optional<String> currentEtag;

  private CacheException(Kind kind, String message, Optional<String> currentEtag) {
    super(message, null, false, false);
    this.kind = kind;
    this.currentEtag = currentEtag;
  }

  public static CacheException invalid(String message) {
    return new CacheException(Kind.INVALID, message, Optional.empty());
  }

  public static CacheException keyTooLong(String message) {
    return new CacheException(Kind.KEY_TOO_LONG, message, Optional.empty());
  }

  public static CacheException tooLarge(String message) {
    return new CacheException(Kind.TOO_LARGE, message, Optional.empty());
  }

  /** A failed precondition; the current etag, if an entry exists. */
  public static CacheException preconditionFailed(String message, Optional<String> currentEtag) {
    return new CacheException(Kind.PRECONDITION_FAILED, message, currentEtag);
  }

  public static CacheException unavailable(String message) {
    return new CacheException(Kind.UNAVAILABLE, message, Optional.empty());
  }

  public Kind kind() {
    return kind;
  }

  /** For {@link Kind#PRECONDITION_FAILED}: the etag of the entry that is there, if any. */
  public Optional<String> currentEtag() {
    return currentEtag == null ? Optional.empty() : currentEtag;
  }
}
