package dev.troupe.actors.cache.bucket;

/**
 * Bucket ids within a tenant: {@code <namespace>~<n>}; the entity id is {@code
 * <tenant>:<namespace>~<n>} ({@code EntityIds.scoped(tenant, localId(ns, n))}). Namespaces never
 * contain {@code ~}, so the split is unambiguous.
 */
public final class BucketIds {

  private static final char SEPARATOR = '~';

  private BucketIds() {}

  /** The id within the tenant of bucket {@code bucket} of a namespace. */
  public static String localId(String namespace, int bucket) {
    if (bucket < 0) {
      throw new IllegalArgumentException("bucket must be >= 0");
    }
    return namespace + SEPARATOR + bucket;
  }

  /** The namespace of a bucket's entity id (scoped {@code tenant:ns~n} or local {@code ns~n}). */
  public static String namespaceOf(String entityId) {
    int colon = entityId.indexOf(':');
    int tilde = entityId.lastIndexOf(SEPARATOR);
    if (tilde <= colon + 1) {
      throw new IllegalArgumentException("not a bucket id: " + entityId);
    }
    return entityId.substring(colon + 1, tilde);
  }
}
