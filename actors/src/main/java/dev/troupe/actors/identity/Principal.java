package dev.troupe.actors.identity;

import dev.troupe.persistence.audit.RequestContext;
import java.util.Objects;
import java.util.Set;

/**
 * Who a verified request comes from: an account of an org (or an API key), the session its
 * credential belongs to (an API key's is {@code apikey:<id>}), the roles the credential carries
 * (token form, see {@link Roles}), and the {@link Scopes} that restrict it further.
 */
public record Principal(String username, String org, String sessionId, Set<String> roles, Scopes scopes) {

  public Principal {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(org, "org");
    Objects.requireNonNull(sessionId, "sessionId");
    roles = Set.copyOf(roles);
    Objects.requireNonNull(scopes, "scopes");
  }

  /** An account's principal, restricted by nothing but its roles. */
  public Principal(String username, String org, String sessionId, Set<String> roles) {
    this(username, org, sessionId, roles, Scopes.UNRESTRICTED);
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
