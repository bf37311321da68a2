package dev.troupe.http.rooms;

import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.pekko.http.javadsl.model.Query;

/**
 * {@code ?after=&before=&limit=} of {@code GET /rooms/{room}/messages}: offsets (both exclusive)
 * and a page size from 1 to {@code history-page-limit} (the default; larger asks are cut to it).
 * Anything else is a 400.
 */
record HistoryQuery(OptionalLong after, OptionalLong before, int limit) {

  static HistoryQuery parse(Query query, int pageLimit) {
    OptionalLong after = offset(query, "after");
    OptionalLong before = offset(query, "before");
    int limit = pageLimit;
    Optional<String> asked = query.get("limit");
    if (asked.isPresent()) {
      long value = parseLong(asked.get());
      if (value < 1) {
        throw new ProblemException(ProblemCode.INVALID_PARAMETER, "'limit' must be an integer >= 1");
      }
      limit = (int) Math.min(value, pageLimit);
    }
    return new HistoryQuery(after, before, limit);
  }

  private static OptionalLong offset(Query query, String name) {
    Optional<String> value = query.get(name);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(RoomEventsRoute.offset(name, value.get()));
  }

  private static long parseLong(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
