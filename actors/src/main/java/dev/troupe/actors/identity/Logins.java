package dev.troupe.actors.identity;

import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.org.Org;
import dev.troupe.actors.identity.password.PasswordHasher;
import dev.troupe.actors.identity.session.Session;
import dev.troupe.actors.identity.session.SessionIds;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Logs users in and keeps their sessions going: password checks with back-off and lockout, session
 * creation, refresh-token rotation (reuse revokes the session) and logout.
 *
 * <p>A login for an unknown user asks only the org's directory, runs the same hash as a wrong
 * password, and persists nothing; its failures are counted in memory on this node.
 */
public final class Logins {

  private final IdentityAsks asks;
  private final PasswordHasher hasher;
  private final AccessTokens tokens;
  private final SessionRevoker revoker;
  private final UnknownUserThrottle unknownUsers;
  private final Clock clock;

  Logins(
      IdentityAsks asks,
      PasswordHasher hasher,
      AccessTokens tokens,
      SessionRevoker revoker,
      UnknownUserThrottle unknownUsers,
      Clock clock) {
    this.asks = asks;
    this.hasher = hasher;
    this.tokens = tokens;
    this.revoker = revoker;
    this.unknownUsers = unknownUsers;
    this.clock = clock;
  }

  /** Checks the credentials and opens a session: 401, or 429 while backed off or locked. */
  public CompletionStage<IssuedTokens> login(LoginAttempt attempt) {
    String org = attempt.org() == null || attempt.org().isBlank() ? Names.SYSTEM_ORG : attempt.org();
    String password = attempt.password() == null ? "" : attempt.password();
    if (!Names.valid(org) || !Names.valid(attempt.username()) || password.length() > 1024) {
      return unknownUser(org + "/" + attempt.username(), password);
    }
    return asks.<Org.Command, Boolean>ask(asks.ref(Org.KIND, org, org), reply -> new Org.HasUser(attempt.username(), reply))
        .thenCompose(
            known -> known
                ? knownUser(org, attempt, password)
                : unknownUser(org + "/" + attempt.username(), password));
  }

  private CompletionStage<IssuedTokens> unknownUser(String key, String password) {
    Instant now = clock.instant();
    Duration wait = unknownUsers.waitFor(key, now);
    if (!wait.isZero()) {
      return CompletableFuture.failedFuture(locked(wait));
    }
    return hasher
        .verifyUnknownUser(password)
        .thenApply(
            ignored -> {
              unknownUsers.failed(key, clock.instant());
              throw IdentityException.unauthenticated();
            });
  }

  private CompletionStage<IssuedTokens> knownUser(String org, LoginAttempt attempt, String password) {
    var account = asks.ref(Account.KIND, org, attempt.username());
    RequestContext context = new RequestContext(attempt.requestId(), attempt.username(), org);
    return asks.<Account.Command, Account.Credentials>ask(account, reply -> new Account.GetCredentials(clock.instant(), reply))
        .thenCompose(
            credentials -> {
              if (!credentials.exists()) {
                return unknownUser(org + "/" + attempt.username(), password);
              }
              if (credentials.lockedUntil() != null) {
                Duration wait = Duration.between(clock.instant(), credentials.lockedUntil());
                return CompletableFuture.failedFuture(locked(wait));
              }
              return hasher
                  .verify(password, credentials.passwordHash())
                  .thenCompose(
                      ok -> {
                        if (!ok) {
                          return asks.<Account.Command, Account.FailureRecorded>askStatus(
                                  account, reply -> new Account.RecordFailure(context, clock.instant(), reply))
                              .thenApply(
                                  recorded -> {
                                    throw IdentityException.unauthenticated();
                                  });
                        }
                        if (credentials.disabled()) {
                          throw IdentityException.unauthenticated();
                        }
                        return openSession(org, attempt, context);
                      });
            });
  }

  private CompletionStage<IssuedTokens> openSession(String org, LoginAttempt attempt, RequestContext context) {
    String sessionId = SessionIds.newId();
    RefreshTokens.Issued refresh = RefreshTokens.issue(org, sessionId);
    var account = asks.ref(Account.KIND, org, attempt.username());
    return asks.<Account.Command, Account.LoginRecorded>askStatus(
            account, reply -> new Account.RecordLogin(context, sessionId, clock.instant(), reply))
        .thenCompose(
            recorded -> {
              recorded.evictedSessions().forEach(evicted -> revoker.revoke(context, org, evicted, "evicted"));
              return asks.<Session.Command, Session.Info>askStatus(
                      asks.ref(Session.KIND, org, sessionId),
                      reply ->
                          new Session.Start(
                              context,
                              attempt.username(),
                              attempt.device(),
                              attempt.ip(),
                              attempt.userAgent(),
                              refresh.hash(),
                              clock.instant(),
                              reply))
                  .thenApply(
                      info ->
                          tokens.issue(
                              new Principal(attempt.username(), org, sessionId, recorded.roles()),
                              info.absoluteExpiry(),
                              refresh.token()));
            });
  }

  /**
   * Rotates a refresh token: the old one stops working, a new pair is issued with the account's
   * current roles. A token used twice revokes its session (someone copied it).
   */
  public CompletionStage<IssuedTokens> refresh(String refreshToken, String requestId) {
    RefreshTokens.Parsed parsed =
        RefreshTokens.parse(refreshToken).orElseThrow(IdentityException::unauthenticated);
    String org = parsed.org();
    RefreshTokens.Issued next = RefreshTokens.issue(org, parsed.sessionId());
    var session = asks.ref(Session.KIND, org, parsed.sessionId());
    RequestContext caller = new RequestContext(requestId, "refresh-token", org);
    return asks.<Session.Command, Session.Info>askStatus(
            session,
            reply ->
                new Session.Refresh(
                    caller, RefreshTokens.hash(parsed.secret()), next.hash(), clock.instant(), reply))
        .exceptionallyCompose(
            e -> {
              Throwable cause = IdentityFailures.unwrap(e);
              if (cause instanceof IdentityException refused) {
                if (refused.getMessage().startsWith("reuse")) {
                  return revoker
                      .publish(parsed.sessionId())
                      .thenApply(
                          done -> {
                            throw IdentityException.unauthenticated();
                          });
                }
                return CompletableFuture.failedFuture(IdentityException.unauthenticated());
              }
              return CompletableFuture.failedFuture(cause);
            })
        .thenCompose(
            info -> {
              RequestContext context = new RequestContext(requestId, info.username(), org);
              return asks.<Account.Command, Account.RoleView>askStatus(
                      asks.ref(Account.KIND, org, info.username()), Account.Roles::new)
                  .thenCompose(
                      roles -> {
                        if (roles.disabled()) {
                          return revoker
                              .revoke(context, org, parsed.sessionId(), "account-disabled")
                              .thenApply(
                                  done -> {
                                    throw IdentityException.unauthenticated();
                                  });
                        }
                        return CompletableFuture.completedFuture(
                            tokens.issue(
                                new Principal(info.username(), org, parsed.sessionId(), roles.tokenRoles()),
                                info.absoluteExpiry(),
                                next.token()));
                      });
            });
  }

  /** Ends the caller's own session. */
  public CompletionStage<Void> logout(Principal principal, String requestId) {
    return revoker
        .revoke(principal.context(requestId), principal.org(), principal.sessionId(), "logout")
        .thenApply(done -> null);
  }

  private static IdentityException locked(Duration wait) {
    Duration rounded = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
    return new IdentityException(
        IdentityException.Kind.LOCKED, "too many failed logins; try again later", rounded);
  }
}
