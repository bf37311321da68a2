package dev.troupe.actors.entity;

import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.entity.EntityModel;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.japi.function.Function;

/**
 * Everything the platform needs to run one entity type: its sharding key, its pure model (state
 * fold and audit views) and how to create one entity's behaviour.
 *
 * <p>Built-in capabilities and applications define their entity types the same way and start
 * them with {@link Entities#init}.
 *
 * @param typeKey the sharding key; its name is the entity type in audit URLs
 * @param model the pure model the behaviour and audit both fold events with
 * @param behavior creates the behaviour of the entity with the context's (tenant-scoped) id
 */
public record EntityKind<C, E extends AuditedEvent, S>(
    EntityTypeKey<C> typeKey,
    EntityModel<S, E> model,
    Function<EntityContext<C>, Behavior<C>> behavior) {

  public EntityKind {
    if (!typeKey.name().equals(model.entityType())) {
      throw new IllegalArgumentException(
          "type key " + typeKey.name() + " and model " + model.entityType() + " differ");
    }
  }

  public String name() {
    return typeKey.name();
  }
}
