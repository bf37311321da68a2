package dev.troupe.actors.identity;

import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.session.Session;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/** A principal's view of its own sessions: list them, end one, end all. */
public final class OwnSessions {

  /** One active session as its owner sees it. */
  public record Entry(Session.Info info, boolean current) {}

  private final IdentityAsks asks;
  private final SessionRevoker revoker;
  private final Clock clock;

  OwnSessions(IdentityAsks asks, SessionRevoker revoker, Clock clock) {
    this.asks = asks;
    this.revoker = revoker;
    this.clock = clock;
  }

  /** The principal's active sessions, newest first. */
  public CompletionStage<List<Entry>> list(Principal principal) {
    return ids(principal)
        .thenCompose(
            ids -> {
              List<CompletableFuture<Session.Info>> infos =
                  ids.stream()
                      .map(
                          id ->
                              asks.<Session.Command, Session.Info>askStatus(
                                      asks.ref(Session.KIND, principal.org(), id),
                                      reply -> new Session.GetInfo(clock.instant(), reply))
                                  .toCompletableFuture()
                                  .exceptionally(e -> null))
                      .toList();
              return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new))
                  .thenApply(
                      ignored ->
                          infos.stream()
                              .map(CompletableFuture::join)
                              .filter(info -> info != null && "active".equals(info.status()))
                              .sorted(Comparator.comparing(Session.Info::createdAt).reversed())
                              .map(info -> new Entry(info, info.sessionId().equals(principal.sessionId())))
                              .toList());
            });
  }

  /** Ends one of the principal's sessions; another user's session is a 404. */
  public CompletionStage<Done> revoke(Principal principal, String requestId, String sessionId) {
    return ids(principal)
        .thenCompose(
            ids -> {
              if (!ids.contains(sessionId)) {
                throw IdentityException.notFound("session");
              }
              return revoker.revoke(principal.context(requestId), principal.org(), sessionId, "revoked-by-owner");
            });
  }

  /** Ends every session of the principal, the current one included. */
  public CompletionStage<Done> revokeAll(Principal principal, String requestId) {
    return ids(principal)
        .thenCompose(ids -> revoker.revokeAll(principal.context(requestId), principal.org(), ids, "revoked-by-owner"));
  }

  private CompletionStage<List<String>> ids(Principal principal) {
    return asks.<Account.Command, List<Account.SessionRef>>ask(
            asks.ref(Account.KIND, principal.org(), principal.username()), Account.ListSessions::new)
        .thenApply(refs -> refs.stream().map(Account.SessionRef::sessionId).toList());
  }
}
