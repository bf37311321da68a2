package dev.troupe.actors.identity;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which roles hold each permission, from {@code troupe.identity.permissions}: a permission name
 * (quoted, e.g. {@code "audit.read"}) -> the roles that hold it. Every module and application adds
 * its own permissions in its own {@code reference.conf}; the objects merge. A sys-admin holds every
 * permission; the implicit role {@code org-member} stands for every account of the org. Deny by
 * default: a permission nobody lists is held by sys-admins only.
 */
public final class Permissions {

  private final Map<String, Set<String>> byRole;

  public Permissions(Map<String, Set<String>> byRole) {
    this.byRole = Map.copyOf(byRole);
  }

  /**
   * Reads {@code troupe.identity.permissions}.
   *
   * @throws IllegalArgumentException if a permission's value is not a list of role names
   */
  public static Permissions from(Config config) {
    ConfigObject section = config.getObject("troupe.identity.permissions");
    Map<String, Set<String>> byRole = new HashMap<>();
    section.forEach(
        (permission, value) -> {
          if (!(value.unwrapped() instanceof List<?> roles)) {
            throw new IllegalArgumentException(
                "troupe.identity.permissions.\"" + permission + "\" must be a list of roles");
          }
          for (Object role : roles) {
            byRole.computeIfAbsent(String.valueOf(role), r -> new HashSet<>()).add(permission);
          }
        });
    Map<String, Set<String>> frozen = new HashMap<>();
    byRole.forEach((role, permissions) -> frozen.put(role, Set.copyOf(permissions)));
    return new Permissions(frozen);
  }

  /**
   * Whether one of the principal's org-wide roles grants the permission. Roles bound to a project
   * never count here (a project-admin of one project must not read the whole org): check those
   * with {@link #allows(Principal, String, String)}.
   */
  public boolean allows(Principal principal, String permission) {
    if (principal.isSysAdmin() || grants(Roles.ORG_MEMBER, permission)) {
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
    if (principal.isSysAdmin() || grants(Roles.ORG_MEMBER, permission)) {
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
