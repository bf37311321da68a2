package dev.troupe.persistence.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One event as audit shows it: the wire contract of {@code GET /audit/{type}/{id}/events}.
 *
 * @param seq the event's sequence number in its entity's journal
 * @param type the event's type name (the record's simple name)
 * @param timestamp when it happened, from the event's audit record
 * @param payload the event's audit view, secrets redacted
 * @param meta who caused it
 */
public record AuditEvent(long seq, String type, Instant timestamp, JsonNode payload, Meta meta) {

  /** The audit record without its timestamp, which is shown beside it. */
  public record Meta(String principal, String tenant, String requestId, String node) {
    static Meta of(AuditRecord record) {
      return new Meta(record.principal(), record.tenant(), record.requestId(), record.node());
    }
  }
}
