package dev.troupe.persistence.entity;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The entity types known to this node, by name. Audit answers only for registered types, so an
 * unknown type is a 404, and folds states with the registered {@link EntityModel}.
 */
public final class EntityModels implements Extension {

  private final ConcurrentMap<String, EntityModel<?, ?>> models = new ConcurrentHashMap<>();

  private EntityModels() {}

  public static EntityModels get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * Registers a model. Registering the same type twice with another model is a programming error.
   */
  public void register(EntityModel<?, ?> model) {
    EntityModel<?, ?> previous = models.putIfAbsent(model.entityType(), model);
    if (previous != null && previous != model) {
      throw new IllegalStateException("entity type registered twice: " + model.entityType());
    }
  }

  public Optional<EntityModel<?, ?>> find(String entityType) {
    return Optional.ofNullable(models.get(entityType));
  }

  private static final class Id extends ExtensionId<EntityModels> {
    static final Id INSTANCE = new Id();

    @Override
    public EntityModels createExtension(ActorSystem<?> system) {
      return new EntityModels();
    }
  }
}
