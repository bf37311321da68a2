package dev.troupe.http.identity;

import dev.troupe.actors.identity.Identity;
import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.TokenAuthentication;
import dev.troupe.http.context.Authenticator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The default authenticator: {@code Authorization: Bearer <access token>}. Verification, caching
 * and the revocation check are {@link TokenAuthentication}'s; this class only reads the header.
 */
public final class TokenAuthenticator implements Authenticator {

  private static final int MAX_TOKEN_LENGTH = 8192;

  private final TokenAuthentication authentication;

  public TokenAuthenticator(ActorSystem<?> system) {
    this.authentication = Identity.get(system).authentication();
  }

  @Override
  public CompletionStage<Principal> authenticate(HttpRequest request) {
    Optional<String> token = bearer(request);
    if (token.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IdentityException(IdentityException.Kind.UNAUTHENTICATED, "a bearer token is required"));
    }
    return authentication.authenticate(token.get());
  }

  /** The bearer token of a request, if it carries a plausible one. */
  public static Optional<String> bearer(HttpRequest request) {
    return request
        .getHeader("Authorization")
        .map(h -> h.value().trim())
        .filter(v -> v.length() > 7 && v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).trim())
        .filter(v -> !v.isEmpty() && v.length() <= MAX_TOKEN_LENGTH);
  }
}
