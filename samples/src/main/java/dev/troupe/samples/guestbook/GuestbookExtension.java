package dev.troupe.samples.guestbook;

import dev.troupe.actors.entity.Entities;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.extension.TroupeExtension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Plugs the guestbook sample into a node:
 * {@code ./troupe start --extension dev.troupe.samples.guestbook.GuestbookExtension}.
 */
public final class GuestbookExtension implements TroupeExtension {

  @Override
  public void start(ActorSystem<?> system) {
    Entities.init(system, Guestbook.KIND);
  }

  @Override
  public Route routes(RouteSupport support) {
    return new GuestbookRoutes(support).route();
  }
}
