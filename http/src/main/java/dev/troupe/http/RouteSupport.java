package dev.troupe.http;

import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.Permissions;
import dev.troupe.actors.identity.Principal;
import dev.troupe.cluster.DirectStages;
import dev.troupe.http.cache.ResponseCache;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.json.JsonSupport;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
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

  private static final AllDirectives DIRECTIVES = new AllDirectives() {};

  private final ActorSystem<?> system;
  private final JsonSupport json;
  private final RequestContexts contexts;
  private final Duration askTimeout;
  private final Permissions permissions;
  private final RejectionHandler rejections;
  private volatile ResponseCache responseCache;

  public RouteSupport(
      ActorSystem<?> system, JsonSupport json, RequestContexts contexts, RejectionHandler rejections) {
    this.system = system;
    this.json = json;
    this.contexts = contexts;
    this.rejections = rejections;
    this.askTimeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
    this.permissions = Permissions.from(system.settings().config());
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

  /**
   * Answers every rejection of the inner route here (as problem+json), instead of letting the
   * request try further routes. Public routes wrap their matched paths in it, so a malformed login
   * body is a 400 rather than a fall-through to authentication's 401.
   */
  public Route answered(Supplier<Route> inner) {
    return DIRECTIVES.handleRejections(rejections, inner);
  }

  /** Runs the inner route with the authenticated principal (who, which org, which roles). */
  public Route withPrincipal(Function<Principal, Route> inner) {
    return contexts.withPrincipal(inner);
  }

  /** Runs the inner route only for a principal holding the role (token form); else 403. */
  public Route requireRole(String role, Supplier<Route> inner) {
    return withPrincipal(
        principal -> {
          if (!principal.hasRole(role) && !principal.isSysAdmin()) {
            throw IdentityException.forbidden("requires role " + role);
          }
          return inner.get();
        });
  }

  /**
   * Runs the inner route only for a principal one of whose org-wide roles grants the permission
   * ({@code troupe.identity.permissions}); else 403. Project roles count only in the project
   * form below.
   */
  public Route requirePermission(String permission, Supplier<Route> inner) {
    return withPrincipal(
        principal -> {
          if (!permissions.allows(principal, permission)) {
            throw IdentityException.forbidden("requires permission " + permission);
          }
          return inner.get();
        });
  }

  /** As {@link #requirePermission(String, Supplier)}, for a permission held in one project. */
  public Route requirePermission(String permission, String project, Supplier<Route> inner) {
    return withPrincipal(
        principal -> {
          if (!permissions.allows(principal, permission, project)) {
            throw IdentityException.forbidden("requires permission " + permission + " in project " + project);
          }
          return inner.get();
        });
  }

  /**
   * The response-caching directive ({@link ResponseCache#cached}), created on first use so nodes
   * whose routes never cache pay nothing for it.
   */
  public ResponseCache responseCache() {
    ResponseCache existing = responseCache;
    if (existing != null) {
      return existing;
    }
    synchronized (this) {
      if (responseCache == null) {
        responseCache = new ResponseCache(system);
      }
      return responseCache;
    }
  }

  /** Asks an entity and unwraps its {@link StatusReply}. */
  public <C, R> CompletionStage<R> askWithStatus(
      EntityRef<C> entity, Function<ActorRef<StatusReply<R>>, C> command) {
    return DirectStages.direct(entity.askWithStatus(command::apply, askTimeout));
  }
}
