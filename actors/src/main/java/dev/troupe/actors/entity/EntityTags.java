package dev.troupe.actors.entity;

/**
 * Tags spread an entity type's events over a fixed number of streams, for projections that read
 * them by tag. An entity always gets the same tag.
 */
public final class EntityTags {

  private EntityTags() {}

  /** {@code <type>-<n>} with n in {@code [0, tagCount)}. */
  public static String tagFor(String entityType, String entityId, int tagCount) {
    return entityType + "-" + Math.floorMod(entityId.hashCode(), tagCount);
  }
}
