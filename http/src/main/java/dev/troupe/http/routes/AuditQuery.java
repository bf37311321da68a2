package dev.troupe.http.routes;

import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import dev.troupe.streams.audit.AuditRange;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The query parameters of the audit endpoints, parsed and bounded. Any bad value is a 400 naming
 * the parameter; unknown parameters are refused so a typo never silently widens a query.
 *
 * @param range sequence and time bounds
 * @param limit page size for JSON pages
 * @param follow whether an NDJSON stream goes on with new events
 */
record AuditQuery(AuditRange range, int limit, boolean follow) {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private static final Set<String> EVENT_PARAMS =
      Set.of("fromSeq", "toSeq", "fromTime", "toTime", "limit", "follow");
  private static final Set<String> STATE_PARAMS = Set.of("atSeq", "atTime");

  /** Parameters of {@code .../events}. */
  static AuditQuery events(Map<String, String> params) {
    rejectUnknown(params, EVENT_PARAMS);
    long fromSeq = longParam(params, "fromSeq", 1, 1);
    long toSeq = longParam(params, "toSeq", Long.MAX_VALUE, 1);
    if (toSeq < fromSeq) {
      throw invalid("toSeq must not be below fromSeq");
    }
    Instant fromTime = timeParam(params, "fromTime").orElse(null);
    Instant toTime = timeParam(params, "toTime").orElse(null);
    if (fromTime != null && toTime != null && toTime.isBefore(fromTime)) {
      throw invalid("toTime must not be before fromTime");
    }
    long limit = longParam(params, "limit", DEFAULT_LIMIT, 1);
    if (limit > MAX_LIMIT) {
      throw invalid("limit must be at most " + MAX_LIMIT);
    }
    boolean follow = boolParam(params, "follow");
    return new AuditQuery(new AuditRange(fromSeq, toSeq, fromTime, toTime), (int) limit, follow);
  }

  /** The point of {@code .../state}: exactly one of atSeq, atTime, or neither for the latest. */
  sealed interface Point {}

  record AtSeq(long seq) implements Point {}

  record AtTime(Instant time) implements Point {}

  static Point statePoint(Map<String, String> params) {
    rejectUnknown(params, STATE_PARAMS);
    if (params.containsKey("atSeq") && params.containsKey("atTime")) {
      throw invalid("give atSeq or atTime, not both");
    }
    Optional<Instant> atTime = timeParam(params, "atTime");
    if (atTime.isPresent()) {
      return new AtTime(atTime.get());
    }
    return new AtSeq(longParam(params, "atSeq", Long.MAX_VALUE, 0));
  }

  private static void rejectUnknown(Map<String, String> params, Set<String> known) {
    for (String name : params.keySet()) {
      if (!known.contains(name)) {
        throw invalid("unknown query parameter '" + truncate(name) + "'; known: " + known);
      }
    }
  }

  private static long longParam(Map<String, String> params, String name, long absent, long min) {
    String raw = params.get(name);
    if (raw == null) {
      return absent;
    }
    try {
      long value = Long.parseLong(raw.trim());
      if (value < min) {
        throw invalid(name + " must be at least " + min);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(name + " must be an integer, got '" + truncate(raw) + "'");
    }
  }

  private static Optional<Instant> timeParam(Map<String, String> params, String name) {
    String raw = params.get(name);
    if (raw == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(raw.trim()).toInstant());
    } catch (DateTimeParseException e) {
      throw invalid(name + " must be an ISO-8601 date-time with offset, e.g. 2026-01-02T03:04:05Z");
    }
  }

  private static boolean boolParam(Map<String, String> params, String name) {
    String raw = params.get(name);
    if (raw == null) {
      return false;
    }
    if (raw.equals("true") || raw.equals("false")) {
      return Boolean.parseBoolean(raw);
    }
    throw invalid(name + " must be true or false");
  }

  private static ProblemException invalid(String detail) {
    return new ProblemException(ProblemCode.INVALID_PARAMETER, detail);
  }

  private static String truncate(String value) {
    return value.length() > 64 ? value.substring(0, 64) + "..." : value;
  }
}
