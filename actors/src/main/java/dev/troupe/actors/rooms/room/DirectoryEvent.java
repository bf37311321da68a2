package dev.troupe.actors.rooms.room;

import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;

/** What happened to an org's room directory. {@link DirectoryState#apply} folds them. */
public sealed interface DirectoryEvent extends AuditedEvent {

  /** A room was created or reopened. */
  record Registered(AuditRecord audit, String room) implements DirectoryEvent {}

  /** A room was closed. */
  record Unregistered(AuditRecord audit, String room) implements DirectoryEvent {}
}
