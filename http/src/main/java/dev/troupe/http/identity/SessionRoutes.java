package dev.troupe.http.identity;

import dev.troupe.actors.identity.Identity;
import dev.troupe.actors.identity.OwnSessions;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.identity.IdentityJson.SessionList;
import dev.troupe.http.identity.IdentityJson.SessionView;
import dev.troupe.persistence.audit.RequestContext;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The caller's own sessions: {@code GET /sessions} (device, IP, user agent, created, last seen),
 * {@code DELETE /sessions/{id}} ends one (another user's id is a 404), {@code DELETE /sessions}
 * ends all, the current one included.
 */
public final class SessionRoutes extends AllDirectives {

  private final RouteSupport support;
  private final OwnSessions sessions;

  public SessionRoutes(RouteSupport support) {
    this.support = support;
    this.sessions = Identity.get(support.system()).sessions();
  }

  public Route route() {
    return pathPrefix(
        "sessions",
        () ->
            support.withPrincipal(
                principal ->
                    support.withContext(
                        context ->
                            concat(
                                pathEnd(
                                    () ->
                                        concat(
                                            get(
                                                () ->
                                                    onSuccess(
                                                        sessions.list(principal),
                                                        list ->
                                                            completeOK(
                                                                new SessionList(
                                                                    list.stream().map(SessionRoutes::view).toList()),
                                                                support.json().marshaller()))),
                                            delete(
                                                () ->
                                                    noContent(
                                                        context,
                                                        sessions.revokeAll(principal, context.requestId()))))),
                                path(
                                    PathMatchers.segment(),
                                    id ->
                                        delete(
                                            () ->
                                                noContent(
                                                    context,
                                                    sessions.revoke(principal, context.requestId(), id))))))));
  }

  private Route noContent(RequestContext context, java.util.concurrent.CompletionStage<?> done) {
    return onSuccess(done, ignored -> complete(StatusCodes.NO_CONTENT));
  }

  private static SessionView view(OwnSessions.Entry entry) {
    var info = entry.info();
    return new SessionView(
        info.sessionId(),
        info.device(),
        info.ip(),
        info.userAgent(),
        info.createdAt(),
        info.lastSeen(),
        info.absoluteExpiry().isBefore(info.idleExpiry()) ? info.absoluteExpiry() : info.idleExpiry(),
        entry.current());
  }
}
