package dev.troupe.actors.identity;

import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.revocation.Revocations;
import dev.troupe.actors.identity.session.Session;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Ends sessions everywhere: the session entity records the revocation (audited), the account
 * forgets the session, and the replicated revocation set makes every node refuse the session's
 * access tokens within about a second, long before they expire.
 */
final class SessionRevoker {

  private final IdentityAsks asks;
  private final Revocations revocations;
  private final Duration tokenLifetime;
  private final Clock clock;

  SessionRevoker(IdentityAsks asks, Revocations revocations, Duration tokenLifetime, Clock clock) {
    this.asks = asks;
    this.revocations = revocations;
    this.tokenLifetime = tokenLifetime;
    this.clock = clock;
  }

  /** Revokes one session of an org; completes once every step is done. */
  CompletionStage<Done> revoke(RequestContext context, String org, String sessionId, String reason) {
    return asks.<Session.Command, Session.Info>askStatus(
            asks.ref(Session.KIND, org, sessionId),
            reply -> new Session.Revoke(context, reason, clock.instant(), reply))
        .thenCompose(
            info ->
                asks.<Account.Command, Done>ask(
                        asks.ref(Account.KIND, org, info.username()),
                        reply -> new Account.SessionEnded(context, sessionId, reply))
                    .thenCompose(done -> publish(sessionId)));
  }

  /** Revokes several sessions of an org. */
  CompletionStage<Done> revokeAll(RequestContext context, String org, List<String> sessionIds, String reason) {
    CompletableFuture<?>[] all =
        sessionIds.stream()
            .map(id -> revoke(context, org, id, reason).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all).thenApply(ignored -> Done.getInstance());
  }

  /** Tells every node to refuse the session's access tokens (until the last one would expire). */
  CompletionStage<Done> publish(String sessionId) {
    return revocations.revoke(sessionId, clock.instant().plus(tokenLifetime));
  }
}
