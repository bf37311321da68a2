package dev.troupe.http.identity.browser;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.ticket.Tickets;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.context.RequestContexts;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code POST /auth/ws-ticket} (any authenticated caller): 200 {@code {"ticket","expires_in"}}, a
 * single-use ticket for {@code GET /ws?ticket=} or an SSE route ({@code .../events?ticket=}),
 * bound to the caller's principal and session. Browsers use it because neither {@code WebSocket}
 * nor {@code EventSource} can send an {@code Authorization} header.
 */
public final class TicketRoutes extends AllDirectives {

  /** The response body. */
  record TicketResponse(@JsonProperty("ticket") String ticket, @JsonProperty("expires_in") long expiresIn) {
    @Override
    public String toString() {
      return "TicketResponse[expires in " + expiresIn + "s]";
    }
  }

  private final RouteSupport support;
  private final Tickets tickets;

  public TicketRoutes(RouteSupport support) {
    this.support = support;
    this.tickets = Tickets.get(support.system());
  }

  public Route route() {
    return path(
        PathMatchers.segment("auth").slash("ws-ticket"),
        () ->
            support.answered(
                () ->
                    post(
                        () ->
                            extractRequest(
                                request -> {
                                  var authenticated =
                                      RequestContexts.authenticatedOf(request)
                                          .orElseThrow(() -> new IdentityException(IdentityException.Kind.UNAUTHENTICATED, "authentication is required"));
                                  return respondWithHeader(
                                      CacheControl.create(CacheDirectives.NO_STORE),
                                      () ->
                                          onSuccess(
                                              tickets.issue(authenticated.principal(), authenticated.expiresAt()),
                                              issued ->
                                                  completeOK(
                                                      new TicketResponse(issued.ticket(), issued.expiresIn()),
                                                      support.json().marshaller())));
                                }))));
  }
}
