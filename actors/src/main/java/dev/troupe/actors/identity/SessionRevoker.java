package dev.troupe.actors.identity;

import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.revocation.Revocations;
import dev.troupe.actors.identity.session.Session;
import dev.troupe.cluster.StageFailures;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends sessions everywhere. First the replicated revocation set, so every node refuses the
 * session's access tokens within about a second whatever happens next; then the session entity
 * records the revocation (audited, and its refresh token dies); then the account forgets it. A
 * session that does not exist (any more) counts as revoked.
 */
final class SessionRevoker {

  private static final Logger log = LoggerFactory.getLogger(SessionRevoker.class);

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
    // Even when the replicated write is not confirmed (it still spreads by gossip), the session
    // entity records the revocation; the caller then learns that the cluster-wide step failed.
    return revocations
        .revoke(sessionId, clock.instant().plus(tokenLifetime))
        .handle((published, publishFailure) -> publishFailure)
        .thenCompose(
            publishFailure ->
                endSession(context, org, sessionId, reason)
                    .thenApply(
                        done -> {
                          if (publishFailure != null) {
                            throw new IllegalStateException("revocation not confirmed cluster-wide", publishFailure);
                          }
                          return done;
                        }));
  }

  private CompletionStage<Done> endSession(RequestContext context, String org, String sessionId, String reason) {
    return asks.<Session.Command, Session.Info>askStatus(
            asks.ref(Session.KIND, org, sessionId),
            reply -> new Session.Revoke(context, reason, clock.instant(), reply))
        .thenCompose(
            info ->
                asks.<Account.Command, Done>ask(
                    asks.ref(Account.KIND, org, info.username()),
                    reply -> new Account.SessionEnded(context, sessionId, reply)))
        .exceptionally(
            e -> {
              Throwable cause = StageFailures.unwrap(e);
              if (cause instanceof IdentityException missing
                  && missing.kind() == IdentityException.Kind.NOT_FOUND) {
                return Done.getInstance();
              }
              throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
            });
  }

  /**
   * Revokes several sessions of an org. Every revocation runs to its end; the stage fails (with the
   * first failure) only after all have settled.
   */
  CompletionStage<Done> revokeAll(RequestContext context, String org, List<String> sessionIds, String reason) {
    List<CompletableFuture<Done>> all =
        sessionIds.stream().map(id -> revoke(context, org, id, reason).toCompletableFuture()).toList();
    return CompletableFuture.allOf(all.stream().map(f -> f.handle((done, e) -> e)).toArray(CompletableFuture[]::new))
        .thenApply(
            settled -> {
              for (CompletableFuture<Done> one : all) {
                if (one.isCompletedExceptionally()) {
                  log.warn("a session of org {} could not be revoked completely; retry the request", org);
                  return one.join();
                }
              }
              return Done.getInstance();
            });
  }
}
