package dev.troupe.http.rooms;

import dev.troupe.http.RouteSupport;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** STUB (helper C implements): REST, WebSocket and SSE routes of rooms. */
public final class RoomRoutes extends AllDirectives {

  private final RouteSupport support;

  public RoomRoutes(RouteSupport support) {
    this.support = support;
  }

  public Route route() {
    return reject();
  }
}
