package dev.troupe.http.extension;

import dev.troupe.http.RouteSupport;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * How an application (or a built-in capability) plugs into a node: it starts its entity types and
 * contributes routes beside the built-in ones. The node loads the classes named in {@code
 * troupe.extensions}; each needs a public no-argument constructor.
 *
 * <p>Routes come from the same {@link RouteSupport} the built-in routes use, so they share the
 * request context, the error format and the ask timeout.
 */
public interface TroupeExtension {

  /** Starts the extension's entity types ({@code Entities.init}) before the node takes traffic. */
  void start(ActorSystem<?> system);

  /** The extension's routes, served behind authentication. */
  Route routes(RouteSupport support);

  /**
   * Routes served without a token (pages that log in themselves, their scripts and styles). None
   * by default. Never put anything here that reads or changes an org's data.
   */
  default Route publicRoutes(RouteSupport support) {
    return Directives.reject();
  }
}
