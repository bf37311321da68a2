package dev.troupe.cluster;

/**
 * Where an entity lives now.
 *
 * @param entityType the sharded type name
 * @param entityId the sharded (tenant-scoped) entity id
 * @param shard the shard it belongs to
 * @param node the address of the member hosting the shard, or null while no member does
 */
public record EntityLocation(String entityType, String entityId, String shard, String node) {}
