package dev.troupe.bench.node;

import dev.troupe.http.RouteSupport;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /bench/whoami}: the authenticated principal's username as text. Like every extension
 * route it is behind the node's authenticator; the {@code auth} benchmark measures it. Must come
 * before the entity routes (it would otherwise read as the entity {@code whoami}).
 */
final class WhoamiRoute extends AllDirectives {

  static final String PATH = "/bench/whoami";

  private final RouteSupport support;

  WhoamiRoute(RouteSupport support) {
    this.support = support;
  }

  Route route() {
    return path(
        PathMatchers.segment("bench").slash("whoami"),
        () -> get(() -> support.withPrincipal(principal -> complete(principal.username()))));
  }
}
