package dev.troupe.actors.cache;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times to live: parsed from {@code <int>(ms|s|m|h|d)} (as the HTTP {@code ttl} parameter gives
 * them) and checked against a namespace's {@code max-ttl}. Failures are {@link CacheException}s of
 * kind {@code INVALID}.
 */
public final class Ttl {

  /** What a ttl text matches: a positive integer and a unit. */
  public static final String PATTERN = "([0-9]{1,18})(ms|s|m|h|d)";

  private static final Pattern TTL = Pattern.compile(PATTERN);

  private Ttl() {}

  /** Parses {@code <int>(ms|s|m|h|d)}, e.g. {@code 500ms}, {@code 30s}, {@code 7d}. */
  public static Duration parse(String text) {
    Matcher m = text == null ? null : TTL.matcher(text);
    if (m == null || !m.matches()) {
      throw CacheException.invalid("ttl must be an integer followed by ms, s, m, h or d");
    }
    long amount = Long.parseLong(m.group(1));
    if (amount <= 0) {
      throw CacheException.invalid("ttl must be positive");
    }
    ChronoUnit unit =
        switch (m.group(2)) {
          case "ms" -> ChronoUnit.MILLIS;
          case "s" -> ChronoUnit.SECONDS;
          case "m" -> ChronoUnit.MINUTES;
          case "h" -> ChronoUnit.HOURS;
          default -> ChronoUnit.DAYS;
        };
    try {
      return Duration.of(amount, unit);
    } catch (ArithmeticException e) {
      throw CacheException.invalid("ttl is too long");
    }
  }

  /**
   * The ttl a put stores with: the given one, or the namespace's default. Refused when not
   * positive or above the namespace's {@code max-ttl}.
   */
  public static Duration resolve(Optional<Duration> ttl, NamespaceSettings namespace) {
    Duration resolved = ttl == null ? namespace.defaultTtl() : ttl.orElse(namespace.defaultTtl());
    if (resolved == null || resolved.isNegative() || resolved.isZero()) {
      throw CacheException.invalid("ttl must be positive");
    }
    if (resolved.compareTo(namespace.maxTtl()) > 0) {
      throw CacheException.invalid(
          "ttl is above the namespace's maximum of " + format(namespace.maxTtl()));
    }
    return resolved;
  }

  /** The shortest {@code <int><unit>} text for the duration (below a millisecond is dropped). */
  public static String format(Duration ttl) {
    long ms = ttl.toMillis();
    if (ms % 86_400_000L == 0) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
