package dev.troupe.actors.identity.account;

import dev.troupe.actors.identity.Names;
import dev.troupe.actors.identity.Roles;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Which roles an account may hold, and the immutable sorted collections its roles are kept in. */
public final class AccountRoles {

  private AccountRoles() {}

  /**
   * Why a set of org roles is refused for an account of the given org, or empty if it is fine:
   * only {@code org-admin}, and {@code sys-admin} in the {@code system} org.
   */
  public static Optional<String> orgRolesViolation(Set<String> roles, String org) {
    if (roles == null) {
      return Optional.of("invalid: roles are required");
    }
    for (String role : roles) {
      if (role == null || !Roles.ORG_ROLES.contains(role)) {
        return Optional.of("invalid: unknown org role " + describe(role));
      }
      if (Roles.SYS_ADMIN.equals(role) && !Names.SYSTEM_ORG.equals(org)) {
        return Optional.of("invalid: sys-admin only in org " + Names.SYSTEM_ORG);
      }
    }
    return Optional.empty();
  }

  /**
   * Why project roles are refused, or empty if they are fine: a valid project name and only
   * {@code project-admin} and {@code project-user}.
   */
  public static Optional<String> projectRolesViolation(String project, Set<String> roles) {
    if (!Names.valid(project)) {
      return Optional.of("invalid: project name must match " + Names.PATTERN);
    }
    if (roles == null) {
      return Optional.of("invalid: roles are required");
    }
    for (String role : roles) {
      if (role == null || !Roles.PROJECT_ROLES.contains(role)) {
        return Optional.of("invalid: unknown project role " + describe(role));
      }
    }
    return Optional.empty();
  }

  /** The roles as a token carries them: org roles, then {@code <role>:<project>}; sorted. */
  public static SortedSet<String> tokenRoles(
      Set<String> orgRoles, Map<String, ? extends Set<String>> projectRoles) {
    TreeSet<String> roles = new TreeSet<>(orgRoles);
    projectRoles.forEach(
        (project, projectRoleSet) ->
            projectRoleSet.forEach(role -> roles.add(Roles.projectRole(role, project))));
    return Collections.unmodifiableSortedSet(roles);
  }

  /** An immutable sorted copy (empty for null). */
  public static SortedSet<String> sorted(Collection<String> values) {
    return values == null
        ? Collections.emptySortedSet()
        : Collections.unmodifiableSortedSet(new TreeSet<>(values));
  }

  /** An immutable copy sorted by project, each role set sorted, empty sets dropped. */
  public static SortedMap<String, Set<String>> sorted(Map<String, ? extends Set<String>> values) {
    TreeMap<String, Set<String>> copy = new TreeMap<>();
    if (values != null) {
      values.forEach(
          (project, roles) -> {
            if (roles != null && !roles.isEmpty()) {
              copy.put(project, sorted(roles));
            }
          });
    }
    return Collections.unmodifiableSortedMap(copy);
  }

  private static String describe(String role) {
    if (role == null) {
      return "null";
    }
    return role.length() > 64 ? role.substring(0, 64) + "..." : role;
  }
}
