package dev.troupe.persistence.audit;

import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;

/**
 * Who changed an entity, when, on which node, for which request: carried inside every event.
 *
 * <p>Typed persistence has no per-event metadata, so the record is part of the event itself (see
 * ADR 0002). Build it with {@link Auditor#record(RequestContext)}, never by hand, so that every
 * capability fills it the same way.
 */
public record AuditRecord(
    String principal, String tenant, String requestId, String node, Instant timestamp)
    implements TroupeSerializable {}
