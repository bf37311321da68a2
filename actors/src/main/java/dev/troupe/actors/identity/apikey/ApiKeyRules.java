package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.identity.Access;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.Roles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Pure rules about API keys: who manages a project's keys, what a new key may carry, and which
 * roles a creator may give it.
 *
 * <p>A key's roles are {@code org-admin} or roles of its own project ({@code project-admin:<p>},
 * {@code project-user:<p>}); never {@code sys-admin}. A creator may give a role it holds or
 * dominates: sys-admins and the org's admins any of them, a project-admin the project's roles.
 */
public final class ApiKeyRules {

  private static final Pattern ROUTE =
      Pattern.compile("(\\*|GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /[^\\s]*");
  private static final Pattern NAME_GLOB = Pattern.compile("[^\\s\\p{Cntrl}/]+");

  private ApiKeyRules() {}

  /**
   * Whether the principal manages the project's keys: its admins, the org's admins, sys-admins;
   * never another API key (a key could otherwise mint one with wider scopes).
   */
  public static boolean mayManage(Principal principal, String org, String project) {
    return !principal.scopes().restricted() && Access.canManageMembers(principal, org, project);
  }

  /** The roles the key gets: the asked ones, sorted, or {@code project-user:<project>}. */
  public static List<String> roles(NewApiKey request, String project) {
    if (request.roles() == null || request.roles().isEmpty()) {
      return List.of(Roles.projectRole(Roles.PROJECT_USER, project));
    }
    return List.copyOf(new TreeSet<>(request.roles()));
  }

  /** Why the request is malformed (400), if it is. */
  public static Optional<String> invalid(NewApiKey request, String project, ApiKeySettings settings) {
    String name = request.name();
    if (name == null || name.isBlank()) {
      return Optional.of("name is required");
    }
    if (name.length() > settings.maxNameLength()) {
      return Optional.of("name is longer than " + settings.maxNameLength() + " characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      return Optional.of("name must not contain control characters");
    }
    if (request.roles() != null) {
      Set<String> allowed =
          Set.of(
              Roles.ORG_ADMIN,
              Roles.projectRole(Roles.PROJECT_ADMIN, project),
              Roles.projectRole(Roles.PROJECT_USER, project));
      for (String role : request.roles()) {
        if (role == null || !allowed.contains(role)) {
          return Optional.of("role '" + role + "' cannot be given to an api key of this project; use " + new TreeSet<>(allowed));
        }
      }
    }
    if (request.scopes() == null) {
      return Optional.of("scopes is required: {\"routes\":[...],\"rooms\":[...],\"namespaces\":[...]}");
    }
    Optional<String> routes = patterns("routes", request.scopes().routes(), ROUTE, settings);
    if (routes.isPresent()) {
      return routes;
    }
    Optional<String> rooms = patterns("rooms", request.scopes().rooms(), NAME_GLOB, settings);
    if (rooms.isPresent()) {
      return rooms;
    }
    Optional<String> namespaces = patterns("namespaces", request.scopes().namespaces(), NAME_GLOB, settings);
    if (namespaces.isPresent()) {
      return namespaces;
    }
    if (request.expiresIn() != null
        && (request.expiresIn() < 1 || request.expiresIn() > settings.maxExpiresIn().toSeconds())) {
      return Optional.of("expires_in must be between 1 and " + settings.maxExpiresIn().toSeconds() + " seconds");
    }
    return Optional.empty();
  }

  /** The roles the creator may not give (403 when any), of roles already checked by {@link #invalid}. */
  public static List<String> beyondCreator(Principal creator, String org, List<String> roles) {
    if (Access.canManageOrg(creator, org)) {
      return List.of();
    }
    List<String> beyond = new ArrayList<>();
    for (String role : roles) {
      boolean held = creator.hasRole(role);
      boolean dominated =
          Roles.projectOf(role)
              .map(p -> Roles.PROJECT_USER.equals(Roles.roleOf(role)) && creator.hasProjectRole(Roles.PROJECT_ADMIN, p))
              .orElse(false);
      if (!held && !dominated) {
        beyond.add(role);
      }
    }
    return beyond;
  }

  private static Optional<String> patterns(String kind, List<String> patterns, Pattern form, ApiKeySettings settings) {
    if (patterns.size() > settings.maxPatterns()) {
      return Optional.of("scopes." + kind + " has more than " + settings.maxPatterns() + " patterns");
    }
    for (String pattern : patterns) {
      if (pattern == null || pattern.isBlank()) {
        return Optional.of("scopes." + kind + " patterns must not be null or blank");
      }
      if (pattern.length() > settings.maxPatternLength()) {
        return Optional.of("scopes." + kind + " patterns must be at most " + settings.maxPatternLength() + " characters");
      }
      if (wildcards(pattern) > settings.maxWildcards()) {
        return Optional.of("scopes." + kind + " patterns may hold at most " + settings.maxWildcards() + " wildcards");
      }
      if (!form.matcher(pattern).matches()) {
        return Optional.of(
            "scopes." + kind + " pattern '" + pattern + "' is malformed"
                + (kind.equals("routes") ? "; use \"<METHOD or *> /<path glob>\"" : "; use a name glob like \"chat-*\""));
      }
    }
    return Optional.empty();
  }

  /** How many wildcards a pattern has: a run of stars ({@code *} or {@code **}) counts once. */
  static int wildcards(String pattern) {
    int count = 0;
    for (int i = 0; i < pattern.length(); i++) {
      if (pattern.charAt(i) == '*' && (i == 0 || pattern.charAt(i - 1) != '*')) {
        count++;
      }
    }
    return count;
  }
}
