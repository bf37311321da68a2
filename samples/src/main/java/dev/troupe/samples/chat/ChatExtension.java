package dev.troupe.samples.chat;

import dev.troupe.http.RouteSupport;
import dev.troupe.http.extension.TroupeExtension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Plugs the chat sample into a node:
 * {@code ./troupe start --extension dev.troupe.samples.chat.ChatExtension}, then open
 * {@code http://<node>/samples/chat/}.
 *
 * <p>The chat needs nothing but the built-in rooms, so it starts no entity and adds no
 * authenticated route: it only serves its page publicly (the page signs in itself).
 */
public final class ChatExtension implements TroupeExtension {

  @Override
  public void start(ActorSystem<?> system) {
    // Rooms are built in; nothing to start.
  }

  @Override
  public Route routes(RouteSupport support) {
    return Directives.reject();
  }

  @Override
  public Route publicRoutes(RouteSupport support) {
    return new ChatPage().route();
  }
}
