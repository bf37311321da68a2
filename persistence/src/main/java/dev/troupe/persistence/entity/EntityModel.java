package dev.troupe.persistence.entity;

import dev.troupe.persistence.audit.AuditedEvent;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The pure half of an entity type: its name, its empty state, how one event changes the state, and
 * how events and states look in audit output.
 *
 * <p>The entity's {@code EventSourcedBehavior} and audit's {@code state?atSeq} both fold events
 * with this same function, so what audit rebuilds is exactly what the entity recovers. The
 * function must be pure: no clock, no I/O, no randomness.
 *
 * <p>Audit views are rendered to JSON by {@code AuditRenderer}, which replaces every component
 * marked {@code @Secret} with {@code "[redacted]"}; a view function may also drop or reshape
 * fields. By default the event itself (less its audit record) and the state itself are shown.
 *
 * @param entityType the sharding type name, also the first part of every persistence id
 * @param eventClass the base type of the entity's events
 * @param emptyState the state before the first event
 * @param applier how an event changes the state
 * @param eventView what audit shows of an event
 * @param stateView what audit shows of a state
 */
public record EntityModel<S, E extends AuditedEvent>(
    String entityType,
    Class<E> eventClass,
    S emptyState,
    BiFunction<S, E, S> applier,
    Function<E, Object> eventView,
    Function<S, Object> stateView) {

  public EntityModel {
    Objects.requireNonNull(entityType, "entityType");
    Objects.requireNonNull(eventClass, "eventClass");
    Objects.requireNonNull(emptyState, "emptyState");
    Objects.requireNonNull(applier, "applier");
    Objects.requireNonNull(eventView, "eventView");
    Objects.requireNonNull(stateView, "stateView");
    if (!EntityIds.isValidPart(entityType) || entityType.indexOf('|') >= 0) {
      throw new IllegalArgumentException("invalid entity type name: " + entityType);
    }
  }

  /** A model whose audit views show events and states as they are (secrets redacted). */
  public static <S, E extends AuditedEvent> EntityModel<S, E> of(
      String entityType, Class<E> eventClass, S emptyState, BiFunction<S, E, S> applier) {
    return new EntityModel<>(
        entityType, eventClass, emptyState, applier, event -> event, state -> state);
  }

  /** The same model with other audit views. */
  public EntityModel<S, E> withViews(Function<E, Object> events, Function<S, Object> states) {
    return new EntityModel<>(entityType, eventClass, emptyState, applier, events, states);
  }

  public S apply(S state, E event) {
    return applier.apply(state, event);
  }

  /** Applies an event read back from the journal, whose static type is unknown. */
  public S applyUntyped(S state, Object event) {
    return apply(state, eventClass.cast(event));
  }

  /** The audit view of an event read back from the journal. */
  public Object viewOfEvent(Object event) {
    return eventView.apply(eventClass.cast(event));
  }

  /** The audit view of a state. */
  public Object viewOfState(S state) {
    return stateView.apply(state);
  }
}
