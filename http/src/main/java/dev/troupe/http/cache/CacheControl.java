package dev.troupe.http.cache;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;

/**
 * The {@code Cache-Control} directives of a request or response (every such header, merged):
 * names lowercased, arguments unquoted. Unknown directives are kept and ignored by callers.
 */
record CacheControl(Map<String, Optional<String>> directives) {

  static final CacheControl NONE = new CacheControl(Map.of());

  CacheControl {
    directives = Map.copyOf(directives);
  }

  /** The directives of every {@code Cache-Control} header among these. */
  static CacheControl of(Iterable<HttpHeader> headers) {
    Map<String, Optional<String>> directives = new HashMap<>();
    for (HttpHeader header : headers) {
      if (header.is("cache-control")) {
        parseInto(header.value(), directives);
      }
    }
    return directives.isEmpty() ? NONE : new CacheControl(directives);
  }

  boolean has(String directive) {
    return directives.containsKey(directive);
  }

  /**
   * A delta-seconds argument ({@code max-age=60}); empty when absent or not a non-negative
   * integer (such a directive is ignored).
   */
  Optional<Long> seconds(String directive) {
    Optional<String> value = directives.getOrDefault(directive, Optional.empty());
    if (value.isEmpty() || value.get().isEmpty() || value.get().length() > 12) {
      return Optional.empty();
    }
    for (char c : value.get().toCharArray()) {
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(Long.parseLong(value.get()));
  }

  /** Splits on commas outside quoted strings; {@code name[=token|"quoted"]}. */
  private static void parseInto(String value, Map<String, Optional<String>> directives) {
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i <= value.length(); i++) {
      char c = i < value.length() ? value.charAt(i) : ',';
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted || i == value.length()) {
        add(part.toString(), directives);
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
  }

  private static void add(String part, Map<String, Optional<String>> directives) {
    String text = part.trim();
    if (text.isEmpty()) {
      return;
    }
    int eq = text.indexOf('=');
    if (eq < 0) {
      directives.putIfAbsent(text.toLowerCase(Locale.ROOT), Optional.empty());
      return;
    }
    String name = text.substring(0, eq).trim().toLowerCase(Locale.ROOT);
    String argument = text.substring(eq + 1).trim();
    if (argument.length() >= 2 && argument.startsWith("\"") && argument.endsWith("\"")) {
      argument = argument.substring(1, argument.length() - 1);
    }
    directives.putIfAbsent(name, Optional.of(argument));
  }
}
