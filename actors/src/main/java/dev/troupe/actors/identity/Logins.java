package dev.troupe.actors.identity;

import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.org.Org;
import dev.troupe.actors.identity.password.PasswordHasher;
import dev.troupe.actors.identity.session.Session;
import dev.troupe.actors.identity.session.SessionIds;
import dev.troupe.cluster.StageFailures;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Logs users in and keeps their sessions going: password checks with back-off and lockout, session
 * creation, refresh-token rotation (reuse revokes the session) and logout.
 *
 * <p>The account entity gates password checks: one at a time per account, none while locked, so
 * parallel guesses cannot outrun the lockout. A login for an unknown user asks only the org's
 * directory, runs the same hash as a wrong password, and persists nothing; its failures are counted
 * in memory on this node. Hashing is bounded per node (503 when too much is queued).
 */
public final class Logins {

  /** The least lifetime a new access token must have; a session closer to its end is over. */
  private static final Duration MIN_TOKEN_LIFETIME = Duration.ofSeconds(1);

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

  /** Checks the credentials and opens a session: 401, 429 while backed off or locked, 503 if busy. */
  public CompletionStage<IssuedTokens> login(LoginAttempt attempt) {
    return guarded(() -> checkedLogin(attempt));
  }

  private CompletionStage<IssuedTokens> checkedLogin(LoginAttempt attempt) {
    String org = attempt.org() == null || attempt.org().isBlank() ? Names.SYSTEM_ORG : attempt.org();
    String password = attempt.password() == null ? "" : attempt.password();
    if (!Names.valid(org) || !Names.valid(attempt.username())) {
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
    return asks.<Account.Command, Account.Credentials>ask(account, reply -> new Account.BeginAttempt(clock.instant(), reply))
        .thenCompose(
            credentials -> {
              if (!credentials.exists()) {
                return unknownUser(org + "/" + attempt.username(), password);
              }
              if (credentials.lockedUntil() != null) {
                return CompletableFuture.failedFuture(
                    locked(Duration.between(clock.instant(), credentials.lockedUntil())));
              }
              return hasher
                  .verify(password, credentials.passwordHash())
                  .exceptionallyCompose(
                      e -> {
                        account.tell(new Account.EndAttempt(clock.instant()));
                        return CompletableFuture.failedFuture(e);
                      })
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
                          account.tell(new Account.EndAttempt(clock.instant()));
                          throw IdentityException.unauthenticated();
                        }
                        return openSession(org, attempt, context);
                      });
            });
  }

  /**
   * Starts the session first, then records the login on the account: an account never lists a
   * session that does not exist. A login the account refuses revokes the new session.
   */
  private CompletionStage<IssuedTokens> openSession(String org, LoginAttempt attempt, RequestContext context) {
    String sessionId = SessionIds.newId();
    RefreshTokens.Issued refresh = RefreshTokens.issue(org, sessionId);
    var account = asks.ref(Account.KIND, org, attempt.username());
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
        .exceptionallyCompose(
            e -> {
              account.tell(new Account.EndAttempt(clock.instant()));
              return CompletableFuture.failedFuture(e);
            })
        .thenCompose(
            info ->
                asks.<Account.Command, Account.LoginRecorded>askStatus(
                        account, reply -> new Account.RecordLogin(context, sessionId, clock.instant(), reply))
                    .exceptionallyCompose(
                        e ->
                            revoker
                                .revoke(context, org, sessionId, "login-refused")
                                .handle((done, ignored) -> null)
                                .thenCompose(ignored -> CompletableFuture.failedFuture(IdentityException.unauthenticated())))
                    .thenCompose(
                        recorded ->
                            revoker
                                .revokeAll(context, org, recorded.evictedSessions(), "evicted")
                                .thenApply(
                                    done ->
                                        tokens.issue(
                                            new Principal(attempt.username(), org, sessionId, recorded.roles()),
                                            info.absoluteExpiry(),
                                            refresh.token()))));
  }

  /**
   * Rotates a refresh token: the old one stops working, a new pair is issued with the account's
   * current roles. A token used twice revokes its session (someone copied it). The account is read
   * before the rotation, so a failure there never spends the client's token.
   */
  public CompletionStage<IssuedTokens> refresh(String refreshToken, String requestId) {
    return guarded(() -> checkedRefresh(refreshToken, requestId));
  }

  private CompletionStage<IssuedTokens> checkedRefresh(String refreshToken, String requestId) {
    RefreshTokens.Parsed parsed =
        RefreshTokens.parse(refreshToken).orElseThrow(IdentityException::unauthenticated);
    String org = parsed.org();
    var session = asks.ref(Session.KIND, org, parsed.sessionId());
    RequestContext caller = new RequestContext(requestId, "refresh-token", org);
    return asks.<Session.Command, Session.Info>askStatus(session, reply -> new Session.GetInfo(clock.instant(), reply))
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(refusal(e)))
        .thenCompose(
            info -> {
              if (!"active".equals(info.status())
                  || !info.absoluteExpiry().isAfter(clock.instant().plus(MIN_TOKEN_LIFETIME))) {
                throw IdentityException.unauthenticated();
              }
              RequestContext owner = new RequestContext(requestId, info.username(), org);
              return asks.<Account.Command, Account.RoleView>askStatus(
                      asks.ref(Account.KIND, org, info.username()), Account.Roles::new)
                  .thenCompose(
                      roles -> {
                        if (roles.disabled()) {
                          return revoker
                              .revoke(owner, org, parsed.sessionId(), "account-disabled")
                              .thenApply(
                                  done -> {
                                    throw IdentityException.unauthenticated();
                                  });
                        }
                        return rotate(caller, owner, parsed, info, roles);
                      });
            });
  }

  private CompletionStage<IssuedTokens> rotate(
      RequestContext caller, RequestContext owner, RefreshTokens.Parsed parsed, Session.Info info, Account.RoleView roles) {
    String org = parsed.org();
    RefreshTokens.Issued next = RefreshTokens.issue(org, parsed.sessionId());
    return asks.<Session.Command, Session.Info>askStatus(
            asks.ref(Session.KIND, org, parsed.sessionId()),
            reply ->
                new Session.Refresh(
                    caller, RefreshTokens.hash(parsed.secret()), next.hash(), clock.instant(), reply))
        .exceptionallyCompose(
            e -> {
              Throwable cause = StageFailures.unwrap(e);
              if (cause instanceof IdentityException refused && refused.getMessage().startsWith("reuse")) {
                // The session entity has revoked itself; make every node refuse its tokens too.
                return revoker
                    .revoke(owner, org, parsed.sessionId(), "refresh-token-reuse")
                    .handle((done, ignored) -> null)
                    .thenCompose(ignored -> CompletableFuture.failedFuture(IdentityException.unauthenticated()));
              }
              return CompletableFuture.failedFuture(refusal(cause));
            })
        .thenApply(
            refreshed ->
                tokens.issue(
                    new Principal(info.username(), org, parsed.sessionId(), roles.tokenRoles()),
                    refreshed.absoluteExpiry(),
                    next.token()));
  }

  /** Ends the caller's own session. */
  public CompletionStage<Void> logout(Principal principal, String requestId) {
    return revoker
        .revoke(principal.context(requestId), principal.org(), principal.sessionId(), "logout")
        .thenApply(done -> null);
  }

  /** Any refusal of a refresh is a 401, without saying why; timeouts stay 503. */
  private static Throwable refusal(Throwable e) {
    Throwable cause = StageFailures.unwrap(e);
    return cause instanceof IdentityException ? IdentityException.unauthenticated() : cause;
  }

  private static IdentityException locked(Duration wait) {
    Duration rounded = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
    return new IdentityException(
        IdentityException.Kind.LOCKED, "too many failed logins; try again later", rounded);
  }

  /** Runs a step that may throw, as a stage; a busy hasher becomes a 503. */
  static <T> CompletionStage<T> guarded(Supplier<CompletionStage<T>> step) {
    CompletionStage<T> stage;
    try {
      stage = step.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return stage.exceptionallyCompose(
        e ->
            CompletableFuture.failedFuture(
                StageFailures.unwrap(e) instanceof PasswordHasher.BusyException
                    ? IdentityException.busy()
                    : StageFailures.unwrap(e)));
  }
}
