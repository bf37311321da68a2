package dev.troupe.persistence.audit;

import dev.troupe.persistence.TroupeSerializable;
import java.util.Objects;

/**
 * Who asked for a change, on behalf of which tenant, under which request id.
 *
 * <p>Built once per HTTP request by the authenticator and carried inside every command, so the
 * entity can stamp the events it persists with an {@link AuditRecord}.
 */
public record RequestContext(String requestId, String principal, String tenant)
    implements TroupeSerializable {

  public RequestContext {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(tenant, "tenant");
  }
}
