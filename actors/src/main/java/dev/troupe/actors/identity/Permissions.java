package dev.troupe.actors.identity;

import com.typesafe.config.Config;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which permissions each role grants, from {@code troupe.identity.permissions} (role name -> list
 * of permission names; applications add their own). A sys-admin holds every permission. Deny by
 * default: a permission no role lists is granted to nobody else.
 */
public final class Permissions {

  private final Map<String, Set<String>> byRole;

  public Permissions(Map<String, Set<String>> byRole) {
    this.byRole = Map.copyOf(byRole);
  }

  public static Permissions from(Config config) {
    Config section = config.getConfig("troupe.identity.permissions");
    Map<String, Set<String>> byRole = new HashMap<>();
    for (String role : section.root().keySet()) {
      byRole.put(role, Set.copyOf(section.getStringList(role)));
    }
    return new Permissions(byRole);
  }

  /**
   * Whether one of the principal's org-wide roles grants the permission. Roles bound to a project
   * never count here (a project-admin of one project must not read the whole org): check those
   * with {@link #allows(Principal, String, String)}.
   */
  public boolean allows(Principal principal, String permission) {
    if (principal.isSysAdmin()) {
      return true;
    }
    return principal.roles().stream()
        .filter(role -> Roles.projectOf(role).isEmpty())
        .anyMatch(role -> grants(role, permission));
  }

  /**
   * Whether the principal holds the permission in a project: through an org-wide role, or a role
   * bound to that very project.
   */
  public boolean allows(Principal principal, String permission, String project) {
    if (principal.isSysAdmin()) {
      return true;
    }
    for (String role : principal.roles()) {
      Optional<String> boundTo = Roles.projectOf(role);
      boolean applies = boundTo.isEmpty() || boundTo.get().equals(project);
      if (applies && grants(Roles.roleOf(role), permission)) {
        return true;
      }
    }
    return false;
  }

  private boolean grants(String role, String permission) {
    return byRole.getOrDefault(role, Set.of()).contains(permission);
  }
}
