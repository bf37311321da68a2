package dev.troupe.http.identity.apikey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.troupe.actors.identity.apikey.ApiKeyFormat;
import dev.troupe.actors.identity.apikey.CreatedKey;
import dev.troupe.actors.identity.apikey.NewApiKey;
import dev.troupe.actors.identity.apikey.ScopePatterns;
import dev.troupe.actors.identity.apikey.StoredKey;
import java.time.Instant;
import java.util.List;

/** The JSON bodies of the API key routes (snake_case, as the other identity routes). */
final class ApiKeyJson {

  private ApiKeyJson() {}

  record ScopesBody(List<String> routes, List<String> rooms, List<String> namespaces) {
    ScopePatterns patterns() {
      return new ScopePatterns(routes, rooms, namespaces);
    }

    static ScopesBody of(ScopePatterns patterns) {
      return new ScopesBody(patterns.routes(), patterns.rooms(), patterns.namespaces());
    }
  }

  record CreateRequest(
      String name, List<String> roles, ScopesBody scopes, @JsonProperty("expires_in") Long expiresIn) {
    NewApiKey request() {
      return new NewApiKey(name, roles, scopes == null ? null : scopes.patterns(), expiresIn);
    }
  }

  /** The answer to a create: the only time the key is shown. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record CreatedView(
      String id,
      String key,
      String prefix,
      String name,
      List<String> roles,
      ScopesBody scopes,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("expires_at") Instant expiresAt) {

    static CreatedView of(CreatedKey created) {
      StoredKey k = created.stored();
      return new CreatedView(
          k.id(), created.key(), ApiKeyFormat.prefixOf(k.id()), k.name(), k.roles(), ScopesBody.of(k.scopes()),
          k.createdAt(), k.expiresAt());
    }

    @Override
    public String toString() {
      return "CreatedView[id=" + id + ", key=[redacted]]";
    }
  }

  /** A key as listed: never the key or its hash. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record KeyView(
      String id,
      String prefix,
      String name,
      List<String> roles,
      ScopesBody scopes,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("expires_at") Instant expiresAt,
      @JsonProperty("last_used_at") Instant lastUsedAt,
      @JsonProperty("revoked_at") Instant revokedAt) {

    static KeyView of(StoredKey k) {
      return new KeyView(
          k.id(), ApiKeyFormat.prefixOf(k.id()), k.name(), k.roles(), ScopesBody.of(k.scopes()), k.createdAt(),
          k.createdBy(), k.expiresAt(), k.lastUsedAt(), k.revokedAt());
    }
  }

  record KeyList(@JsonProperty("api_keys") List<KeyView> apiKeys) {}
}
