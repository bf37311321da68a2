package dev.troupe.actors.identity.apikey;

import java.util.List;

/**
 * What a caller asks for when creating a key: a name, roles (token form; none means {@code
 * project-user:<project>}), scopes (required) and an optional lifetime in seconds.
 */
public record NewApiKey(String name, List<String> roles, ScopePatterns scopes, Long expiresIn) {}
