package dev.troupe.http.identity.browser;

import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.ticket.TicketGrant;
import dev.troupe.actors.identity.ticket.Tickets;
import dev.troupe.http.context.AuthMethod;
import dev.troupe.http.context.Authenticated;
import dev.troupe.http.context.CredentialReader;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * {@code ?ticket=} from {@code POST /auth/ws-ticket}, accepted only where a browser opens a live
 * stream and cannot send a header: {@code GET /ws}, {@code GET /rooms/{room}/events} and {@code
 * GET /audit/{type}/{id}/events} asking for {@code text/event-stream}; and only when the request
 * carries no {@code Authorization}. The ticket is spent on first use, on any node; a spent,
 * expired, forged or revoked one is a 401. The connection it opens is closed when the grant ends
 * ({@link Authenticated#expiresAt()}, armed by the live route through {@link LiveSessions}).
 */
public final class TicketCredentials implements CredentialReader {

  /** The query parameter that carries the ticket. */
  public static final String PARAMETER = "ticket";

  private static final Pattern ROOM_EVENTS = Pattern.compile("/rooms/[^/]+/events");
  private static final Pattern AUDIT_EVENTS = Pattern.compile("/audit/[^/]+/[^/]+/events");

  private final Tickets tickets;

  public TicketCredentials(ActorSystem<?> system) {
    this.tickets = Tickets.get(system);
    // Started with the node so its revocation listener is in place before any connection opens.
    LiveSessions.get(system);
  }

  @Override
  public Optional<CompletionStage<Authenticated>> read(HttpRequest request) {
    if (!accepts(request) || request.getHeader("Authorization").isPresent()) {
      return Optional.empty();
    }
    return request
        .getUri()
        .query()
        .get(PARAMETER)
        .map(ticket -> tickets.redeem(ticket).thenApply(this::admitted));
  }

  /**
   * Whether the request may carry a ticket: {@code GET /ws}, a room's SSE stream, or an audit
   * stream asked for as SSE (the audit path also serves JSON pages and ndjson, which take none).
   */
  static boolean accepts(HttpRequest request) {
    if (!request.method().equals(HttpMethods.GET)) {
      return false;
    }
    String path = request.getUri().path();
    if (path.equals("/ws") || ROOM_EVENTS.matcher(path).matches()) {
      return true;
    }
    return AUDIT_EVENTS.matcher(path).matches()
        && request.getHeader("Accept").map(h -> h.value().contains("text/event-stream")).orElse(false);
  }

  private Authenticated admitted(Optional<TicketGrant> grant) {
    TicketGrant found =
        grant.orElseThrow(
            () -> new IdentityException(IdentityException.Kind.UNAUTHENTICATED, "invalid or used ticket"));
    return new Authenticated(found.principal(), AuthMethod.TICKET, found.connectionExpiresAt());
  }
}
