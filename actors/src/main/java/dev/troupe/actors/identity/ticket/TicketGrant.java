package dev.troupe.actors.identity.ticket;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.Scopes;
import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a ticket stands for: the principal that asked for it (flattened, so it crosses nodes as
 * plain fields) and until when a connection opened with it may live ({@code 0}: no limit).
 */
public record TicketGrant(
    String username,
    String org,
    String sessionId,
    List<String> roles,
    boolean restricted,
    List<String> routes,
    List<String> rooms,
    List<String> namespaces,
    long connectionExpiresAtMillis)
    implements TroupeSerializable {

  static TicketGrant of(Principal principal, Optional<Instant> connectionExpiry) {
    Scopes scopes = principal.scopes();
    return new TicketGrant(
        principal.username(),
        principal.org(),
        principal.sessionId(),
        List.copyOf(principal.roles()),
        scopes.restricted(),
        scopes.routes(),
        scopes.rooms(),
        scopes.namespaces(),
        connectionExpiry.map(Instant::toEpochMilli).orElse(0L));
  }

  /** The principal the ticket was issued to, with its scopes. */
  public Principal principal() {
    return new Principal(
        username, org, sessionId, Set.copyOf(roles), new Scopes(restricted, routes, rooms, namespaces));
  }

  /** When a connection opened with the ticket must close (the session's end), if ever. */
  public Optional<Instant> connectionExpiresAt() {
    return connectionExpiresAtMillis <= 0
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(connectionExpiresAtMillis));
  }
}
