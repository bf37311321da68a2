package dev.troupe.actors.rooms.room;

import dev.troupe.actors.identity.Principal;
import java.util.List;

/**
 * A principal's room scopes (an API key's {@code scopes.rooms}; anyone else is unrestricted),
 * applied by {@link RoomAdmin} wherever it names a room: REST, SSE and WebSocket joins all pass
 * there.
 */
final class RoomScopes {

  private RoomScopes() {}

  /** The (already checked) room name, or FORBIDDEN when it is outside the principal's scopes. */
  static String inScope(Principal principal, String name) {
    if (!principal.scopes().allowsRoom(name)) {
      throw RoomRefusals.forbidden("the credential's scopes do not include room '" + name + "'");
    }
    return name;
  }

  /** The names within the principal's scopes, in order. */
  static List<String> visible(Principal principal, List<String> names) {
    if (!principal.scopes().restricted()) {
      return names;
    }
    return names.stream().filter(principal.scopes()::allowsRoom).toList();
  }
}
