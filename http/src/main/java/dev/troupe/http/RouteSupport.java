package dev.troupe.http;

import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.json.JsonSupport;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

/**
 * What every resource route (built-in or an application's) gets from the platform: the actor
 * system, the JSON mapper, the request's context, and asks with the configured timeout.
 *
 * <p>Asks live only at the edge. A timeout becomes a 503 with {@code Retry-After}, an error
 * {@link StatusReply} a 422, in the one problem handler.
 */
public final class RouteSupport {

  private final ActorSystem<?> system;
  private final JsonSupport json;
  private final RequestContexts contexts;
  private final Duration askTimeout;

  public RouteSupport(ActorSystem<?> system, JsonSupport json, RequestContexts contexts) {
    this.system = system;
    this.json = json;
    this.contexts = contexts;
    this.askTimeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
  }

  public ActorSystem<?> system() {
    return system;
  }

  public JsonSupport json() {
    return json;
  }

  public Duration askTimeout() {
    return askTimeout;
  }

  /** Runs the inner route with the authenticated request's context. */
  public Route withContext(Function<RequestContext, Route> inner) {
    return contexts.withContext(inner);
  }

  /** Asks an entity and unwraps its {@link StatusReply}. */
  public <C, R> CompletionStage<R> askWithStatus(
      EntityRef<C> entity, Function<ActorRef<StatusReply<R>>, C> command) {
    return entity.askWithStatus(command::apply, askTimeout);
  }
}
