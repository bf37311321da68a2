package dev.troupe.bench.node;

import dev.troupe.actors.entity.Entities;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.extension.TroupeExtension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Plugs the bench entity and its routes into a node: {@code troupe start --extension
 * dev.troupe.bench.node.AppendExtension} with the bench jar on the node's classpath. Only the
 * bench's node processes load it.
 */
public final class AppendExtension implements TroupeExtension {

  @Override
  public void start(ActorSystem<?> system) {
    Entities.init(system, Appender.KIND);
  }

  @Override
  public Route routes(RouteSupport support) {
    return new AppendRoutes(support).route();
  }
}
