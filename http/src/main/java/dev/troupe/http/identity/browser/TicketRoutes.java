package dev.troupe.http.identity.browser;

import dev.troupe.http.RouteSupport;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code POST /auth/ws-ticket}. OWNED BY HELPER D. */
public final class TicketRoutes extends AllDirectives {

  public TicketRoutes(RouteSupport support) {}

  public Route route() {
    return reject(); // TODO helper D
  }
}
