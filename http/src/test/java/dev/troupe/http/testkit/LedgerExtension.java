package dev.troupe.http.testkit;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.testkit.Ledger;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.extension.TroupeExtension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The test ledger as an extension, plugged in the way an application plugs its own entities and
 * routes into a node ({@code troupe.extensions} or {@code --extension}).
 */
public final class LedgerExtension implements TroupeExtension {

  @Override
  public void start(ActorSystem<?> system) {
    Entities.init(system, Ledger.KIND);
  }

  @Override
  public Route routes(RouteSupport support) {
    return new LedgerRoutes(support).route();
  }
}
