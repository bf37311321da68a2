package dev.troupe.bench.node;

import dev.troupe.actors.entity.Entities;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.extension.TroupeExtension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Plugs the bench entity, its routes, {@code GET /bench/whoami} and {@code GET
 * /bench-meta/cache-event-size} into a node: {@code troupe
 * start --extension dev.troupe.bench.node.AppendExtension} with the bench jar on the node's
 * classpath. Only the bench's node processes load it.
 */
public final class AppendExtension implements TroupeExtension {

  private static final AllDirectives DIRECTIVES = new AllDirectives() {};

  @Override
  public void start(ActorSystem<?> system) {
    Entities.init(system, Appender.KIND);
  }

  @Override
  public Route routes(RouteSupport support) {
    return DIRECTIVES.concat(
        new WhoamiRoute(support).route(), new CacheEventSizeRoute(support).route(), new AppendRoutes(support).route());
  }
}
