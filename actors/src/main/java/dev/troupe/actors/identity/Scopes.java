package dev.troupe.actors.identity;

import java.util.List;
import java.util.Objects;

/**
 * What a credential may reach beyond its roles. A bearer token of a logged-in account is {@link
 * #UNRESTRICTED}; an API key carries the scopes it was created with, and a request outside them is
 * refused (403) even when the key's roles would allow it.
 *
 * <p>Each list holds glob patterns: {@code routes} entries are {@code "<METHOD> <path glob>"}
 * ({@code "GET /cache/**"}, {@code "* /rooms/*"}), {@code rooms} and {@code namespaces} entries are
 * name globs ({@code "chat-*"}). In a glob {@code *} matches within one path segment or name, {@code
 * **} matches anything. An empty list allows nothing of that kind.
 */
public record Scopes(boolean restricted, List<String> routes, List<String> rooms, List<String> namespaces) {

  /** No restriction beyond roles (bearer tokens, cookies, tickets). */
  public static final Scopes UNRESTRICTED = new Scopes(false, List.of(), List.of(), List.of());

  public Scopes {
    routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
    rooms = List.copyOf(Objects.requireNonNull(rooms, "rooms"));
    namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
  }

  /** Restricted scopes (an API key's). */
  public static Scopes of(List<String> routes, List<String> rooms, List<String> namespaces) {
    return new Scopes(true, routes, rooms, namespaces);
  }

  /** Whether a request with this method and path is in scope. */
  public boolean allowsRoute(String method, String path) {
    return !restricted || ScopeGlobs.anyRouteMatches(routes, method, path);
  }

  /** Whether the room (its name within the org) is in scope. */
  public boolean allowsRoom(String room) {
    return !restricted || ScopeGlobs.anyNameMatches(rooms, room);
  }

  /** Whether the cache namespace is in scope. */
  public boolean allowsNamespace(String namespace) {
    return !restricted || ScopeGlobs.anyNameMatches(namespaces, namespace);
  }
}
