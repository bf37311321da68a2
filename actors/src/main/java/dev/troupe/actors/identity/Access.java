package dev.troupe.actors.identity;

/**
 * Who may do what to an org: pure rules over a principal's roles. A principal that may not even see
 * an org is told it does not exist (404), so existence does not leak across orgs.
 */
public final class Access {

  private Access() {}

  /** Only sys-admins create orgs. */
  public static boolean canCreateOrg(Principal principal) {
    return principal.isSysAdmin();
  }

  /** Members of an org see it; sys-admins see every org. Names that are not valid see nothing. */
  public static boolean canSee(Principal principal, String org) {
    return Names.valid(org) && (principal.isSysAdmin() || principal.org().equals(org));
  }

  /**
   * Org-admins manage their org (projects, users, org roles); sys-admins manage every org. Only
   * sys-admins manage the {@code system} org, where sys-admins live: an org-admin there cannot make
   * or reset one.
   */
  public static boolean canManageOrg(Principal principal, String org) {
    if (principal.isSysAdmin()) {
      return true;
    }
    return !Names.SYSTEM_ORG.equals(org) && principal.org().equals(org) && principal.isOrgAdmin();
  }

  /** Project members are managed by the org's admins and by the project's admins. */
  public static boolean canManageMembers(Principal principal, String org, String project) {
    return canManageOrg(principal, org)
        || (principal.org().equals(org) && principal.hasProjectRole(Roles.PROJECT_ADMIN, project));
  }

  /** Reading an account: its owner and the org's admins. */
  public static boolean canReadUser(Principal principal, String org, String username) {
    return canManageOrg(principal, org) || (principal.org().equals(org) && principal.username().equals(username));
  }

  /** Fails with 404 when the principal may not see the org at all. */
  public static void requireVisible(Principal principal, String org) {
    if (!canSee(principal, org)) {
      throw IdentityException.notFound("org");
    }
  }
}
