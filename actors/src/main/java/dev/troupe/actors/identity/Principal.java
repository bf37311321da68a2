package dev.troupe.actors.identity;

import dev.troupe.persistence.audit.RequestContext;
import java.util.Objects;
import java.util.Set;

/**
 * Who a verified request comes from: an account of an org, the session its token belongs to, and
 * the roles the token carries (token form, see {@link Roles}).
 */
public record Principal(String username, String org, String sessionId, Set<String> roles) {

  public Principal {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(org, "org");
    Objects.requireNonNull(sessionId, "sessionId");
    roles = Set.copyOf(roles);
  }

  public boolean isSysAdmin() {
    return roles.contains(Roles.SYS_ADMIN) && Names.SYSTEM_ORG.equals(org);
  }

  /** An org-admin of the principal's own org. */
  public boolean isOrgAdmin() {
    return roles.contains(Roles.ORG_ADMIN);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public boolean hasProjectRole(String role, String project) {
    return roles.contains(Roles.projectRole(role, project));
  }

  /** The audit context of a request this principal makes. */
  public RequestContext context(String requestId) {
    return new RequestContext(requestId, username, org);
  }
}
