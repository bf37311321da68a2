package dev.troupe.actors.identity;

import java.util.Optional;
import java.util.Set;

/**
 * The built-in roles. {@code sys-admin} and {@code org-admin} are bound to an account; the project
 * roles are bound per project and appear in tokens as {@code <role>:<project>}.
 */
public final class Roles {

  public static final String SYS_ADMIN = "sys-admin";
  public static final String ORG_ADMIN = "org-admin";
  public static final String PROJECT_ADMIN = "project-admin";
  public static final String PROJECT_USER = "project-user";

  /**
   * Held implicitly by every account of an org (never stored, never in tokens): permissions listed
   * for it are open to the whole org.
   */
  public static final String ORG_MEMBER = "org-member";

  /** Roles an account can hold for its whole org. */
  public static final Set<String> ORG_ROLES = Set.of(SYS_ADMIN, ORG_ADMIN);

  /** Roles an account can hold in one project. */
  public static final Set<String> PROJECT_ROLES = Set.of(PROJECT_ADMIN, PROJECT_USER);

  private Roles() {}

  /** The token form of a project role: {@code project-admin:web}. */
  public static String projectRole(String role, String project) {
    return role + ":" + project;
  }

  /** The role part of a token role ({@code project-user:web} gives {@code project-user}). */
  public static String roleOf(String tokenRole) {
    int colon = tokenRole.indexOf(':');
    return colon < 0 ? tokenRole : tokenRole.substring(0, colon);
  }

  /** The project of a token role, if it is bound to one. */
  public static Optional<String> projectOf(String tokenRole) {
    int colon = tokenRole.indexOf(':');
    return colon < 0 ? Optional.empty() : Optional.of(tokenRole.substring(colon + 1));
  }
}
