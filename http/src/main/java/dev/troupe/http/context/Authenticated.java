package dev.troupe.http.context;

import dev.troupe.actors.identity.Principal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of authenticating a request: who, how, and until when the credential holds (a live
 * WebSocket or SSE stream opened with it is closed at that time; empty when it does not expire).
 */
public record Authenticated(Principal principal, AuthMethod method, Optional<Instant> expiresAt) {

  public Authenticated {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
