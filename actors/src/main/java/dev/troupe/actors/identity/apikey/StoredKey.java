package dev.troupe.actors.identity.apikey;

import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.Secret;
import java.time.Instant;
import java.util.List;

/**
 * One API key as its project keeps it: never the key itself, only its SHA-256. {@code expiresAt},
 * {@code lastUsedAt} and {@code revokedAt} are null when not set.
 */
public record StoredKey(
    String id,
    String name,
    @Secret String hash,
    List<String> roles,
    ScopePatterns scopes,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt)
    implements TroupeSerializable {

  public StoredKey {
    roles = roles == null ? List.of() : List.copyOf(roles);
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  public boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  StoredKey used(Instant at) {
    return new StoredKey(id, name, hash, roles, scopes, createdBy, createdAt, expiresAt, at, revokedAt);
  }

  StoredKey revokedAt(Instant at) {
    return new StoredKey(id, name, hash, roles, scopes, createdBy, createdAt, expiresAt, lastUsedAt, at);
  }

  @Override
  public String toString() {
    return "StoredKey[id=" + id + ", name=" + name + ", hash=[redacted], roles=" + roles + ", scopes="
        + scopes + ", createdBy=" + createdBy + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
        + ", lastUsedAt=" + lastUsedAt + ", revokedAt=" + revokedAt + "]";
  }
}
