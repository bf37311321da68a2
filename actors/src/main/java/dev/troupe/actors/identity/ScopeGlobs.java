package dev.troupe.actors.identity;

import java.util.List;

/** Glob matching for {@link Scopes}. OWNED BY HELPER C (api keys): implement and unit-test. */
final class ScopeGlobs {

  private ScopeGlobs() {}

  static boolean anyRouteMatches(List<String> patterns, String method, String path) {
    return false; // TODO helper C
  }

  static boolean anyNameMatches(List<String> patterns, String name) {
    return false; // TODO helper C
  }
}
