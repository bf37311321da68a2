package dev.troupe.bench.load;

import java.util.Map;

/** The ratio of one measured field between two targets of a result row. */
final class Ratios {

  private Ratios() {}

  @SuppressWarnings("unchecked")
  static double ratio(Map<String, Object> result, String target, String baseline, String field) {
    double a = ((Number) ((Map<String, Object>) result.get(target)).get(field)).doubleValue();
    double b = ((Number) ((Map<String, Object>) result.get(baseline)).get(field)).doubleValue();
    return a / b;
  }
}
