package dev.troupe.actors.entity;

import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.Auditor;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.entity.EntityModel;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SnapshotCountRetentionCriteria;

/**
 * The shape every Troupe entity takes: an event-sourced behaviour whose replies are enforced,
 * whose state is folded by its {@link EntityModel} (the same fold audit uses), and which snapshots,
 * tags, and restarts with backoff after journal failures as configured for its type.
 *
 * <p>A subclass writes only its command handler. Its events carry an {@link AuditRecord} built
 * with {@link #audit(RequestContext)}.
 */
public abstract class TroupeEntity<C, E extends AuditedEvent, S>
    extends EventSourcedBehaviorWithEnforcedReplies<C, E, S> {

  private final EntityModel<S, E> model;
  private final EntitySettings settings;
  private final String entityId;
  private final Auditor auditor;

  /**
   * @param system the actor system (for settings and the auditor)
   * @param kind the entity type
   * @param entityId the tenant-scoped id ({@code tenant:id}) sharding gave the entity
   */
  protected TroupeEntity(ActorSystem<?> system, EntityKind<C, E, S> kind, String entityId) {
    this(system, kind, entityId, EntitySettings.forType(system.settings().config(), kind.name()));
  }

  private TroupeEntity(
      ActorSystem<?> system, EntityKind<C, E, S> kind, String entityId, EntitySettings settings) {
    super(
        PersistenceId.of(kind.name(), entityId),
        SupervisorStrategy.restartWithBackoff(
            settings.backoffMin(), settings.backoffMax(), settings.backoffRandomFactor()));
    this.model = kind.model();
    this.settings = settings;
    this.entityId = entityId;
    this.auditor = Auditor.get(system);
  }

  /** The audit record for an event the given request causes now. */
  protected final AuditRecord audit(RequestContext context) {
    return auditor.record(context);
  }

  /** The tenant-scoped id. */
  protected final String entityId() {
    return entityId;
  }

  /** The tenant this entity belongs to. */
  protected final String tenant() {
    return EntityIds.tenantOf(entityId);
  }

  @Override
  public final S emptyState() {
    return model.emptyState();
  }

  @Override
  public final EventHandler<S, E> eventHandler() {
    return model::apply;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    SnapshotCountRetentionCriteria criteria =
        RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
    return settings.deleteEventsOnSnapshot() ? criteria.withDeleteEventsOnSnapshot() : criteria;
  }

  @Override
  public Set<String> tagsFor(E event) {
    return Set.of(EntityTags.tagFor(model.entityType(), entityId, settings.tagCount()));
  }
}
