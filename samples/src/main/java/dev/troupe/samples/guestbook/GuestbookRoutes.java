package dev.troupe.samples.guestbook;

import dev.troupe.actors.entity.Entities;
import dev.troupe.http.RouteSupport;
import dev.troupe.persistence.audit.RequestContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.StatusReply;

/**
 * {@code GET /guestbooks/{id}}, {@code POST /guestbooks/{id}/entries} with {@code
 * {"message":"..."}}, {@code POST /guestbooks/{id}/close}. Errors (bad JSON, refused commands,
 * timeouts) come out as problem+json from the platform's handler, not from here. Every account of
 * the org reads and signs; only org-admins close (permissions in this module's reference.conf).
 */
final class GuestbookRoutes extends AllDirectives {

  /** The body of a signature. */
  record SignRequest(String message) {}

  private final RouteSupport support;

  GuestbookRoutes(RouteSupport support) {
    this.support = support;
  }

  Route route() {
    return pathPrefix(
        "guestbooks",
        () ->
            pathPrefix(
                PathMatchers.segment(),
                id ->
                    support.withContext(
                        context ->
                            concat(
                                pathEnd(
                                    () ->
                                        get(
                                            () ->
                                                support.requirePermission(
                                                    "guestbook.read",
                                                    () -> reply(ask(context, id, Guestbook.Read::new))))),
                                path(
                                    "entries",
                                    () -> post(() -> support.requirePermission("guestbook.sign", () -> sign(context, id)))),
                                path(
                                    "close",
                                    () ->
                                        post(
                                            () ->
                                                support.requirePermission(
                                                    "guestbook.close",
                                                    () ->
                                                        reply(
                                                            ask(
                                                                context,
                                                                id,
                                                                replyTo -> new Guestbook.Close(context, replyTo))))))))));
  }

  private Route sign(RequestContext context, String id) {
    return entity(
        support.json().unmarshaller(SignRequest.class),
        body -> reply(ask(context, id, replyTo -> new Guestbook.Sign(context, body.message(), replyTo))));
  }

  private CompletionStage<Guestbook.Summary> ask(
      RequestContext context,
      String id,
      Function<ActorRef<StatusReply<Guestbook.Summary>>, Guestbook.Command> command) {
    return support.askWithStatus(
        Entities.ref(support.system(), Guestbook.KIND, context.tenant(), id), command);
  }

  private Route reply(CompletionStage<Guestbook.Summary> summary) {
    return onSuccess(summary, value -> completeOK(value, support.json().marshaller()));
  }
}
