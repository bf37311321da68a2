package dev.troupe.actors.identity;

import java.util.Arrays;
import java.util.List;

/**
 * Glob matching for {@link Scopes}: {@code *} matches any characters within one path segment (or
 * name), never a {@code /}; {@code **} (two or more stars) matches anything, slashes included;
 * every other character matches itself. A route pattern is {@code "<METHOD> <path glob>"} where
 * the method is an HTTP method (case-insensitive) or {@code *} for any.
 *
 * <p>A path with a {@code .} or {@code ..} segment, or a backslash, matches no route pattern, so a
 * glob cannot be escaped with a path that something downstream would normalise.
 *
 * <p>No regular expressions: a glob is matched by simulating its automaton over the text, one
 * text character at a time, with the set of pattern positions still alive. That costs at most
 * (text length + 1) x (pattern length + 1) steps whatever the input, with no backtracking, so a
 * pattern like {@code *a*a*a*a*b} against a long path stays cheap (patterns are also bounded in
 * length and in wildcards when a key is created).
 */
final class ScopeGlobs {

  private ScopeGlobs() {}

  static boolean anyRouteMatches(List<String> patterns, String method, String path) {
    if (method == null || path == null || !path.startsWith("/") || escapes(path)) {
      return false;
    }
    for (String pattern : patterns) {
      if (pattern == null) {
        continue;
      }
      int space = pattern.indexOf(' ');
      if (space <= 0) {
        continue;
      }
      String patternMethod = pattern.substring(0, space);
      String pathGlob = pattern.substring(space + 1).strip();
      boolean methodMatches = patternMethod.equals("*") || patternMethod.equalsIgnoreCase(method);
      if (methodMatches && matches(pathGlob, path)) {
        return true;
      }
    }
    return false;
  }

  static boolean anyNameMatches(List<String> patterns, String name) {
    if (name == null) {
      return false;
    }
    for (String pattern : patterns) {
      if (pattern != null && matches(pattern, name)) {
        return true;
      }
    }
    return false;
  }

  /** Token kinds of a glob: a literal character, {@code *}, or {@code **}. */
  private static final char LITERAL = 'L';

  private static final char STAR = '*';

  private static final char ANY = 'A';

  /**
   * Whether the whole text matches the glob, in O(text x glob) time and O(glob) space: {@code
   * alive[j]} says the text read so far can end at pattern position {@code j}.
   */
  static boolean matches(String glob, String text) {
    // kinds[k]: LITERAL (the character in tokens[k]), STAR or ANY.
    int n = glob.length();
    char[] tokens = new char[n];
    char[] kinds = new char[n];
    int m = 0;
    for (int i = 0; i < n; ) {
      char c = glob.charAt(i);
      if (c == '*') {
        int j = i;
        while (j < n && glob.charAt(j) == '*') {
          j++;
        }
        kinds[m] = j - i >= 2 ? ANY : STAR;
        m++;
        i = j;
      } else {
        kinds[m] = LITERAL;
        tokens[m] = c;
        m++;
        i++;
      }
    }
    boolean[] alive = new boolean[m + 1];
    boolean[] next = new boolean[m + 1];
    alive[0] = true;
    close(alive, kinds, m);
    for (int t = 0; t < text.length(); t++) {
      char c = text.charAt(t);
      boolean any = false;
      Arrays.fill(next, false);
      for (int j = 0; j < m; j++) {
        if (!alive[j]) {
          continue;
        }
        char kind = kinds[j];
        if (kind == ANY || (kind == STAR && c != '/')) {
          next[j] = true;
          any = true;
        } else if (kind == LITERAL && tokens[j] == c) {
          next[j + 1] = true;
          any = true;
        }
      }
      if (!any) {
        return false;
      }
      close(next, kinds, m);
      boolean[] swap = alive;
      alive = next;
      next = swap;
    }
    return alive[m];
  }

  /** A wildcard may match nothing: a live position before one makes the position after it live. */
  private static void close(boolean[] alive, char[] kinds, int m) {
    for (int j = 0; j < m; j++) {
      if (alive[j] && kinds[j] != LITERAL) {
        alive[j + 1] = true;
      }
    }
  }

  /** Whether a path has segments a server or proxy could resolve away ({@code .}, {@code ..}). */
  private static boolean escapes(String path) {
    if (path.indexOf('\\') >= 0) {
      return true;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
