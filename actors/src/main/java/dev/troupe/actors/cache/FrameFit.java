package dev.troupe.actors.cache;

import java.util.Map;

/**
 * Checks at start that what the cache sends between nodes fits in one remoting frame: a value
 * (inside a bucket's command or reply) and, for namespaces that are not durable, a whole bucket
 * (Distributed Data gossips a bucket's entries as one message when a replica is behind).
 */
final class FrameFit {

  /** Headroom beside the value or the bucket in a remoting message. */
  static final long FRAME_OVERHEAD = 64 * 1024;

  static final String FRAME_SIZE_PATH = "pekko.remote.artery.advanced.maximum-frame-size";

  private FrameFit() {}

  /**
   * @throws IllegalStateException (one line, for the operator) if max-value-size, or the per-bucket
   *     byte share of a non-durable namespace, plus 64 KiB exceeds the frame size
   */
  static void check(
      long frame,
      CacheSettings settings,
      Map<String, NamespaceSettings> declared) {
    if (settings.maxValueBytes() + FRAME_OVERHEAD > frame) {
      throw new IllegalStateException(
          "troupe.cache.max-value-size (" + settings.maxValueBytes() + " bytes) + 64 KiB does not fit in "
              + FRAME_SIZE_PATH + " (" + frame + " bytes): raise the frame size or lower max-value-size");
    }
    if (!settings.defaults().durable()) {
      checkMemoryBucket("troupe.cache", settings.defaults(), settings.buckets(), frame);
    }
    declared.forEach(
        (name, namespace) -> {
          if (!namespace.durable()) {
            checkMemoryBucket(
                "troupe.cache.namespaces.\"" + name + "\"", namespace, settings.buckets(), frame);
          }
        });
  }

  private static void checkMemoryBucket(String where, NamespaceSettings namespace, int buckets, long frame) {
    long perBucket = (namespace.maxBytes() + buckets - 1) / buckets;
    if (perBucket + FRAME_OVERHEAD > frame) {
      throw new IllegalStateException(
          where + ".max-bytes (" + namespace.maxBytes() + " bytes over " + buckets
              + " buckets) is too large for a namespace that is not durable: each bucket's share + 64 KiB must fit in "
              + FRAME_SIZE_PATH + " (" + frame + " bytes)");
    }
  }
}
