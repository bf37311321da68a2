package dev.troupe.actors.entity;

import dev.troupe.cluster.ShardedTypes;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.entity.EntityModels;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/** Starts entity types under cluster sharding and finds their entities. */
public final class Entities {

  private Entities() {}

  /**
   * Starts an entity type on this node: registers its model for audit and its key for cluster
   * views and readiness, then starts its shard region. Call once per type per node, before the
   * node takes traffic.
   */
  public static <C> ActorRef<ShardingEnvelope<C>> init(ActorSystem<?> system, EntityKind<C, ?, ?> kind) {
    EntityModels.get(system).register(kind.model());
    ShardedTypes.get(system).register(kind.typeKey());
    return ClusterSharding.get(system).init(Entity.of(kind.typeKey(), kind.behavior()));
  }

  /**
   * A reference to the entity with the given id in the given tenant.
   *
   * @throws IllegalArgumentException if the tenant or id is not a valid id part (see {@link
   *     EntityIds})
   */
  public static <C> EntityRef<C> ref(
      ActorSystem<?> system, EntityKind<C, ?, ?> kind, String tenant, String id) {
    return ClusterSharding.get(system).entityRefFor(kind.typeKey(), EntityIds.scoped(tenant, id));
  }
}
