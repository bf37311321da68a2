package dev.troupe.http.testkit;

import dev.troupe.http.RouteSupport;
import dev.troupe.http.extension.TroupeExtension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

/**
 * {@code GET /test/black-hole}: asks, with the node's ask timeout, an actor that never replies, so
 * a test sees the platform's ask-timeout answer (503 with {@code Retry-After}) deterministically.
 */
public final class BlackHoleExtension extends AllDirectives implements TroupeExtension {

  /** The question the black hole never answers. */
  public record Ping(ActorRef<StatusReply<String>> replyTo) {}

  private volatile ActorRef<Ping> blackHole;

  @Override
  public void start(ActorSystem<?> system) {
    blackHole = system.systemActorOf(Behaviors.<Ping>ignore(), "test-black-hole", Props.empty());
  }

  @Override
  public Route routes(RouteSupport support) {
    return path(
        PathMatchers.segment("test").slash("black-hole"),
        () ->
            get(
                () ->
                    onSuccess(
                        AskPattern.<Ping, String>askWithStatus(
                            blackHole, Ping::new, support.askTimeout(), support.system().scheduler()),
                        answer -> complete(answer))));
  }
}
