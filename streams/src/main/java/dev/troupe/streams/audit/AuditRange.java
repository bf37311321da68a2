package dev.troupe.streams.audit;

import java.time.Instant;

/**
 * Which events of one entity an audit read wants. Sequence numbers are inclusive; times compare
 * with the timestamp in each event's audit record (the journal's own timestamp column differs
 * between plugins and is not used).
 *
 * @param fromSeq first sequence number, at least 1
 * @param toSeq last sequence number, inclusive
 * @param fromTime earliest event time, inclusive, or null
 * @param toTime latest event time, inclusive, or null
 */
public record AuditRange(long fromSeq, long toSeq, Instant fromTime, Instant toTime) {

  public static final AuditRange ALL = new AuditRange(1, Long.MAX_VALUE, null, null);

  public AuditRange {
    if (fromSeq < 1) {
      throw new IllegalArgumentException("fromSeq must be at least 1");
    }
    if (toSeq < fromSeq) {
      throw new IllegalArgumentException("toSeq must not be below fromSeq");
    }
    if (fromTime != null && toTime != null && toTime.isBefore(fromTime)) {
      throw new IllegalArgumentException("toTime must not be before fromTime");
    }
  }

  boolean afterStart(Instant t) {
    return fromTime == null || !t.isBefore(fromTime);
  }

  boolean beforeEnd(Instant t) {
    return toTime == null || !t.isAfter(toTime);
  }
}
