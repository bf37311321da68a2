package dev.troupe.actors.identity;

import dev.troupe.actors.identity.revocation.Revocations;
import dev.troupe.actors.identity.token.InvalidTokenException;
import dev.troupe.actors.identity.token.KeyRingSync;
import dev.troupe.actors.identity.token.Verified;
import dev.troupe.cluster.StageFailures;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a bearer token into a {@link Principal} without asking any entity: {@link
 * KeyRingSync#verify} checks the signature once per token and caches the result until it expires
 * (reloading the key set once for a key this node has not seen); every request then checks the
 * replicated revocation set and tells the session it was seen (at most once per touch interval).
 */
public final class TokenAuthentication {

  private final KeyRingSync keys;
  private final Revocations revocations;
  private final SessionTouches touches;
  private final Clock clock;

  TokenAuthentication(KeyRingSync keys, Revocations revocations, SessionTouches touches, Clock clock) {
    this.keys = keys;
    this.revocations = revocations;
    this.touches = touches;
    this.clock = clock;
  }

  /** The principal of a bearer token; fails with 401 (IdentityException) when it is not valid now. */
  public CompletionStage<Principal> authenticate(String token) {
    CompletableFuture<Verified> verified = keys.verify(token, clock.instant()).toCompletableFuture();
    // The common case, a cached token, is already complete: answer without a further stage.
    if (verified.isDone() && !verified.isCompletedExceptionally()) {
      try {
        return CompletableFuture.completedFuture(admitted(verified.join()));
      } catch (IdentityException refused) {
        return CompletableFuture.failedFuture(refused);
      }
    }
    return verified.handle(
        (value, error) -> {
          if (error != null) {
            throw refused(StageFailures.unwrap(error));
          }
          return admitted(value);
        });
  }

  private Principal admitted(Verified verified) {
    Principal principal = verified.principal();
    if (revocations.isRevoked(principal.sessionId())) {
      throw new IdentityException(IdentityException.Kind.UNAUTHENTICATED, "the session was revoked");
    }
    touches.seen(principal);
    return principal;
  }

  private static RuntimeException refused(Throwable error) {
    if (error instanceof InvalidTokenException invalid) {
      return new IdentityException(IdentityException.Kind.UNAUTHENTICATED, "invalid token: " + invalid.reason());
    }
    return error instanceof RuntimeException runtime ? runtime : new IllegalStateException(error);
  }
}
