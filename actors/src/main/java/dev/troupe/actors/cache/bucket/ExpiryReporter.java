package dev.troupe.actors.cache.bucket;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a bucket reports the earliest expiry among its entries, so the sweeper can wake it when
 * nobody reads it. A bucket reports after recovery (when it holds entries), when a store makes
 * its earliest expiry earlier than the one last reported, and after every sweep (the new earliest,
 * or empty when nothing is left to expire). Must not block: it is called from inside the bucket.
 */
@FunctionalInterface
public interface ExpiryReporter {

  /**
   * @param bucketType the bucket's entity type ({@code cache-bucket} or {@code cache-memory-bucket})
   * @param bucketEntityId the bucket's tenant-scoped entity id ({@code <tenant>:<ns>~<n>})
   * @param earliest the earliest expiry among the bucket's entries, or empty when it has none
   */
  void report(String bucketType, String bucketEntityId, Optional<Instant> earliest);

  /** A reporter that reports nowhere (tests). */
  static ExpiryReporter none() {
    return (type, id, earliest) -> {};
  }
}
