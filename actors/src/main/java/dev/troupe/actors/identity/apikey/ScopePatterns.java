package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.identity.Scopes;
import dev.troupe.persistence.TroupeSerializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The scope patterns a key was created with, as stored (see {@link Scopes} for their meaning).
 *
 * <p>A null element is kept (as asked, it is never stored): {@link ApiKeyRules#invalid} refuses it
 * as a 400 instead of the constructor failing on it.
 */
public record ScopePatterns(List<String> routes, List<String> rooms, List<String> namespaces)
    implements TroupeSerializable {

  public ScopePatterns {
    routes = copy(routes);
    rooms = copy(rooms);
    namespaces = copy(namespaces);
  }

  private static List<String> copy(List<String> patterns) {
    return patterns == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(patterns));
  }

  /** The restricting {@link Scopes} of a key with these patterns. */
  public Scopes scopes() {
    return Scopes.of(routes, rooms, namespaces);
  }
}
