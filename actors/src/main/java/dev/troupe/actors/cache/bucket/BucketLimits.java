package dev.troupe.actors.cache.bucket;

/**
 * The limits of one bucket: a namespace's limits divided by its bucket count (rounded up). A put
 * that would exceed either limit first drops expired entries, then evicts the oldest written.
 *
 * @param maxEntries most entries the bucket holds
 * @param maxBytes most value bytes the bucket holds
 */
public record BucketLimits(int maxEntries, long maxBytes) {

  public BucketLimits {
    if (maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("bucket limits must be >= 1");
    }
  }

  /** A namespace's limits spread over {@code buckets} buckets, each rounded up. */
  public static BucketLimits perBucket(long namespaceEntries, long namespaceBytes, int buckets) {
    return new BucketLimits(
        (int) Math.min(Integer.MAX_VALUE, ceilDiv(namespaceEntries, buckets)),
        ceilDiv(namespaceBytes, buckets));
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
