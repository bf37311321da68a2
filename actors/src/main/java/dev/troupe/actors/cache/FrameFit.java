package dev.troupe.actors.cache;

import dev.troupe.actors.cache.bucket.BucketLimits;

/**
 * What the cache sends between nodes must fit in one remoting frame: a value (inside a bucket's
 * command or reply) and, for namespaces that are not durable, a whole bucket (Distributed Data
 * gossips a bucket's entries as one message when a replica is behind).
 */
final class FrameFit {

  /** Headroom beside the value or the bucket in a remoting message. */
  static final long FRAME_OVERHEAD = 64 * 1024;

  static final String FRAME_SIZE_PATH = "pekko.remote.artery.advanced.maximum-frame-size";

  private FrameFit() {}

  /**
   * @throws IllegalStateException (one line, for the operator) if max-value-size plus 64 KiB
   *     exceeds the frame size
   */
  static void checkValues(long frame, CacheSettings settings) {
    if (settings.maxValueBytes() + FRAME_OVERHEAD > frame) {
      throw new IllegalStateException(
          "troupe.cache.max-value-size (" + settings.maxValueBytes() + " bytes) + 64 KiB does not fit in "
              + FRAME_SIZE_PATH + " (" + frame + " bytes): raise the frame size or lower max-value-size");
    }
  }

  /**
   * A namespace's per-bucket limits: its max-entries and max-bytes shared over the buckets, and
   * for a namespace that is not durable the byte share capped so the bucket fits in a frame.
   */
  static BucketLimits limits(NamespaceSettings namespace, int buckets, long frame) {
    BucketLimits shared = BucketLimits.perBucket(namespace.maxEntries(), namespace.maxBytes(), buckets);
    if (namespace.durable() || shared.maxBytes() + FRAME_OVERHEAD <= frame) {
      return shared;
    }
    return new BucketLimits(shared.maxEntries(), frame - FRAME_OVERHEAD);
  }
}
