package dev.troupe.http.context;

import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.Principal;
import dev.troupe.http.identity.TokenAuthenticator;
import dev.troupe.persistence.audit.RequestContext;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Builds the {@link RequestContext} once per request and hands it to routes.
 *
 * <p>The request id is the client's {@code X-Request-Id} when it is a sane token, else a new
 * UUID. The root route authenticates and stores the context as a request attribute; resource
 * routes read it with {@link #withContext}.
 */
public final class RequestContexts extends AllDirectives {

  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  /** The request id of the request being served, set by the root route before anything else. */
  public static final AttributeKey<String> REQUEST_ID =
      AttributeKey.create("troupe-request-id", String.class);

  private static final AttributeKey<RequestContext> CONTEXT =
      AttributeKey.create("troupe-request-context", RequestContext.class);
  private static final AttributeKey<Principal> PRINCIPAL =
      AttributeKey.create("troupe-principal", Principal.class);
  private static final AttributeKey<Authenticated> AUTHENTICATED =
      AttributeKey.create("troupe-authenticated", Authenticated.class);
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final Authenticator authenticator;
  private final AuthMethod authenticatorMethod;
  private final List<CredentialReader> readers;

  public RequestContexts(Authenticator authenticator) {
    this(authenticator, List.of());
  }

  /**
   * Tries the readers in order (API key, ticket, cookie); a request none of them claims goes to the
   * configured authenticator (bearer tokens by default).
   */
  public RequestContexts(Authenticator authenticator, List<CredentialReader> readers) {
    this.authenticator = authenticator;
    this.authenticatorMethod =
        authenticator instanceof TokenAuthenticator ? AuthMethod.BEARER : AuthMethod.CUSTOM;
    this.readers = List.copyOf(readers);
  }

  /** Loads the authenticator named in {@code troupe.http.authenticator}. */
  public static Authenticator authenticatorFrom(ActorSystem<?> system) {
    String className = system.settings().config().getString("troupe.http.authenticator");
    try {
      Class<?> type = Class.forName(className);
      Object instance;
      try {
        instance = type.getConstructor(ActorSystem.class).newInstance(system);
      } catch (NoSuchMethodException e) {
        instance = type.getConstructor().newInstance();
      }
      return (Authenticator) instance;
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("cannot create authenticator " + className, e);
    }
  }

  /** The request id for a request: the client's when sane, else a fresh one. */
  public static String requestIdOf(HttpRequest request) {
    return request
        .getHeader(REQUEST_ID_HEADER)
        .map(h -> h.value().trim())
        .filter(v -> SANE_ID.matcher(v).matches())
        .orElseGet(RequestContexts::newRequestId);
  }

  /**
   * A random version-4 UUID. Request ids only need to be unique, not unguessable, so it uses the
   * thread's fast generator instead of SecureRandom, which {@code UUID.randomUUID} locks on.
   */
  static String newRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** Authenticates the request, then runs the inner route with the context attached. */
  public Route authenticated(String requestId, Route inner) {
    return extractRequest(
        request ->
            onSuccess(
                authenticate(request),
                done ->
                    mapRequest(
                        r ->
                            r.addAttribute(CONTEXT, done.principal().context(requestId))
                                .addAttribute(PRINCIPAL, done.principal())
                                .addAttribute(AUTHENTICATED, done),
                        () -> inner)));
  }

  /**
   * Who sends the request: the first reader that claims it, else the configured authenticator.
   * Whatever the credential, a principal whose {@link dev.troupe.actors.identity.Scopes} do not
   * cover the request's method and path is refused here (403), so no kind of credential (a ticket
   * issued to an API key, say) reaches a route its scopes leave out.
   */
  public CompletionStage<Authenticated> authenticate(HttpRequest request) {
    return inScope(request, credentials(request));
  }

  private CompletionStage<Authenticated> credentials(HttpRequest request) {
    for (CredentialReader reader : readers) {
      Optional<CompletionStage<Authenticated>> read = reader.read(request);
      if (read.isPresent()) {
        return read.get();
      }
    }
    return authenticator
        .authenticate(request)
        .thenApply(principal -> new Authenticated(principal, authenticatorMethod, Optional.empty()));
  }

  private static CompletionStage<Authenticated> inScope(HttpRequest request, CompletionStage<Authenticated> stage) {
    return stage.thenApply(
        done -> {
          if (!allowed(request, done)) {
            throw outOfScope(request);
          }
          return done;
        });
  }

  private static boolean allowed(HttpRequest request, Authenticated done) {
    return done.principal().scopes().allowsRoute(request.method().name(), request.getUri().path());
  }

  private static IdentityException outOfScope(HttpRequest request) {
    return IdentityException.forbidden(
        "this credential's scopes do not cover " + request.method().name() + " " + request.getUri().path());
  }

  /** How the request was authenticated (inside {@link #authenticated}). */
  public static Optional<Authenticated> authenticatedOf(HttpRequest request) {
    return request.getAttribute(AUTHENTICATED);
  }

  /** Runs the inner route with how the request was authenticated (inside {@link #authenticated}). */
  public Route withAuthenticated(Function<Authenticated, Route> inner) {
    return attribute(AUTHENTICATED, inner);
  }

  /** Runs the inner route with the request's principal (inside {@link #authenticated}). */
  public Route withPrincipal(Function<Principal, Route> inner) {
    return attribute(PRINCIPAL, inner);
  }

  /** The request's context, if the root route has authenticated it. */
  public static Optional<RequestContext> contextOf(HttpRequest request) {
    return request.getAttribute(CONTEXT);
  }

  /** Runs the inner route with the request's context (inside {@link #authenticated}). */
  public Route withContext(Function<RequestContext, Route> inner) {
    return attribute(CONTEXT, inner);
  }
}
