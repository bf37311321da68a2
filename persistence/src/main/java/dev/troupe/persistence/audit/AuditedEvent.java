package dev.troupe.persistence.audit;

import dev.troupe.persistence.TroupeSerializable;

/** An event that says who caused it. Every persisted event of every entity type implements it. */
public interface AuditedEvent extends TroupeSerializable {
  AuditRecord audit();
}
