package dev.troupe.http.security;

import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.Principal;
import dev.troupe.http.context.AuthMethod;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The node's edge protections and their state, one per node: settings, client addresses, origin
 * checks, rate-limit buckets and connection counts. {@link SecurityEdge} applies them to every
 * request; the live routes ({@code GET /ws}, room SSE) use {@link #checkWebSocketOrigin} and {@link
 * #connection}.
 */
public final class Protections implements Extension {

  private final ProtectionSettings settings;
  private final ClientAddress clientAddress;
  private final Origins origins;
  private final Cors cors;
  private final SecurityHeaders headers;
  private final RateLimits rateLimits;
  private final ConnectionLimits connections;

  private Protections(ActorSystem<?> system) {
    this.settings = ProtectionSettings.from(system.settings().config());
    this.clientAddress = new ClientAddress(settings.trustedProxies());
    this.origins = new Origins(settings.allowedOrigins());
    this.cors = new Cors(origins, Math.max(0, settings.corsMaxAge().toSeconds()));
    this.headers =
        new SecurityHeaders(
            settings.hsts(), settings.hstsValue(), settings.contentSecurityPolicy());
    ClusterShare share = settings.enabled() ? ClusterShare.get(system) : null;
    this.rateLimits =
        new RateLimits(
            settings.rateLimits(), () -> share == null ? 1.0 : share.fraction(), System::nanoTime);
    this.connections =
        new ConnectionLimits(
            settings.maxConnectionsPerUser(),
            settings.maxConnectionsPerIp(),
            settings.connectionStartTimeout(),
            (delay, task) ->
                system.scheduler().scheduleOnce(delay, task, system.executionContext()));
  }

  public static Protections get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /**
   * Refuses (403 problem) a WebSocket handshake whose {@code Origin} is neither allowlisted nor the
   * request's own; a missing {@code Origin} is refused only when the request was authenticated by
   * the session cookie (a browser always sends one; its absence there smells of a forged request).
   * Call it after authentication, before the upgrade.
   */
  public void checkWebSocketOrigin(HttpRequest request) {
    if (!settings.enabled()) {
      return;
    }
    Optional<String> origin = Origins.of(request);
    if (origin.isPresent()) {
      if (!origins.isAcceptable(origin.get(), request)) {
        throw new ProblemException(ProblemCode.FORBIDDEN, "the WebSocket's Origin is not allowed");
      }
      return;
    }
    boolean byCookie =
        RequestContexts.authenticatedOf(request)
            .map(a -> a.method() == AuthMethod.COOKIE)
            .orElse(false);
    if (byCookie) {
      throw new ProblemException(
          ProblemCode.FORBIDDEN, "a WebSocket authenticated by cookie needs an Origin");
    }
  }

  /**
   * Counts one more live connection (WebSocket or SSE) of the principal from the request's client
   * address (an IPv6 client by its /64, as the rate limits do); 429 problem with {@code
   * Retry-After} ({@code connection-retry-after}) past {@code max-connections-per-user} or {@code
   * -per-ip}. Empty when the protections are off. Give the lease to {@link #counted} (or release it
   * when the connection does not start).
   */
  public Optional<ConnectionLimits.Lease> connection(Principal principal, HttpRequest request) {
    if (!settings.enabled()) {
      return Optional.empty();
    }
    Optional<ConnectionLimits.Lease> lease =
        connections.acquire(
            principal.org() + "/" + principal.username(), ClientAddress.of(request));
    if (lease.isEmpty()) {
      // the problem handlers answer LOCKED with 429 too_many_requests and its Retry-After
      throw new IdentityException(
          IdentityException.Kind.LOCKED,
          "too many live connections for this user or address; close one first",
          settings.connectionRetryAfter());
    }
    return lease;
  }

  /** The flow holding the lease while it runs. */
  public static <I, O, M> Flow<I, O, M> counted(
      Flow<I, O, M> flow, Optional<ConnectionLimits.Lease> lease) {
    if (lease.isEmpty()) {
      return flow;
    }
    ConnectionLimits.Lease l = lease.get();
    return flow.watchTermination(
        (mat, done) -> {
          l.started();
          done.whenComplete((ok, failure) -> l.release());
          return mat;
        });
  }

  /** The source holding the lease while it runs. */
  public static <O, M> Source<O, M> counted(
      Source<O, M> source, Optional<ConnectionLimits.Lease> lease) {
    if (lease.isEmpty()) {
      return source;
    }
    ConnectionLimits.Lease l = lease.get();
    return source.watchTermination(
        (mat, done) -> {
          l.started();
          done.whenComplete((ok, failure) -> l.release());
          return mat;
        });
  }

  ProtectionSettings settings() {
    return settings;
  }

  ClientAddress clientAddress() {
    return clientAddress;
  }

  Origins origins() {
    return origins;
  }

  Cors cors() {
    return cors;
  }

  SecurityHeaders headers() {
    return headers;
  }

  RateLimits rateLimits() {
    return rateLimits;
  }

  ConnectionLimits connections() {
    return connections;
  }

  private static final class Id extends ExtensionId<Protections> {
    static final Id INSTANCE = new Id();

    @Override
    public Protections createExtension(ActorSystem<?> system) {
      return new Protections(system);
    }
  }
}
