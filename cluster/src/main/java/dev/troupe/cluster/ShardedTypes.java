package dev.troupe.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.HashCodeMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * The entity types this node runs under sharding. {@code /cluster} lists their shards, readiness
 * waits for their regions, and tests ask where an entity lives.
 */
public final class ShardedTypes implements Extension {

  private final List<EntityTypeKey<?>> keys = new CopyOnWriteArrayList<>();
  private final HashCodeMessageExtractor<Object> extractor;

  private ShardedTypes(ActorSystem<?> system) {
    int shards = system.settings().config().getInt("pekko.cluster.sharding.number-of-shards");
    this.extractor = new HashCodeMessageExtractor<>(shards);
  }

  public static ShardedTypes get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public void register(EntityTypeKey<?> key) {
    if (find(key.name()).isEmpty()) {
      keys.add(key);
    }
  }

  public List<EntityTypeKey<?>> all() {
    return List.copyOf(keys);
  }

  public Optional<EntityTypeKey<?>> find(String name) {
    return keys.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** The shard an entity id belongs to, as sharding's default extractor computes it. */
  public String shardOf(String entityId) {
    return extractor.shardId(entityId);
  }

  private static final class Id extends ExtensionId<ShardedTypes> {
    static final Id INSTANCE = new Id();

    @Override
    public ShardedTypes createExtension(ActorSystem<?> system) {
      return new ShardedTypes(system);
    }
  }
}
