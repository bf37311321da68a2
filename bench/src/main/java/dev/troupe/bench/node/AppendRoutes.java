package dev.troupe.bench.node;

import dev.troupe.actors.entity.Entities;
import dev.troupe.http.RouteSupport;
import dev.troupe.persistence.audit.Auditor;
import dev.troupe.persistence.audit.RequestContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.StringUnmarshallers;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * The bench's routes:
 *
 * <ul>
 *   <li>{@code POST /bench/{id}} with {@code {"payload":"..."}}: persists one event, 200 once it
 *       is in the journal;
 *   <li>{@code POST /bench/{id}/bulk?count=N}: persists N events with that payload in one atomic
 *       write (to load a long history quickly);
 *   <li>{@code GET /bench/{id}}: the entity's counters and how long its recovery took (on a fresh
 *       node this recovers the entity);
 *   <li>{@code GET /bench-meta/event-size?chars=N}: the serialized size, serializer id and
 *       manifest of an event with an N-character payload, so raw-store baselines write rows of
 *       the same shape and size.
 * </ul>
 */
final class AppendRoutes extends AllDirectives {

  /** Body of both POSTs. */
  record AppendRequest(String payload) {}

  /** Answer of {@code /bench-meta/event-size}. */
  record EventSize(int bytes, int serializerId, String manifest) {}

  private final RouteSupport support;

  AppendRoutes(RouteSupport support) {
    this.support = support;
  }

  Route route() {
    return concat(
        pathPrefix(
            "bench",
            () ->
                pathPrefix(
                    PathMatchers.segment(),
                    id -> support.withContext(context -> entityRoutes(context, id)))),
        path(
            PathMatchers.segment("bench-meta").slash("event-size"),
            () ->
                get(
                    () ->
                        parameter(
                            StringUnmarshallers.INTEGER,
                            "chars",
                            chars -> support.withContext(context -> eventSize(context, chars))))));
  }

  private Route entityRoutes(RequestContext context, String id) {
    return concat(
        pathEnd(
            () ->
                concat(
                    get(() -> reply(ask(context, id, Appender.Get::new))),
                    post(
                        () ->
                            withBody(
                                body ->
                                    reply(
                                        ask(
                                            context,
                                            id,
                                            replyTo -> new Appender.Append(context, body.payload(), replyTo))))))),
        path(
            "bulk",
            () ->
                post(
                    () ->
                        parameter(
                            StringUnmarshallers.INTEGER,
                            "count",
                            count ->
                                withBody(
                                    body ->
                                        reply(
                                            ask(
                                                context,
                                                id,
                                                replyTo ->
                                                    new Appender.AppendMany(
                                                        context, body.payload(), count, replyTo))))))));
  }

  private Route withBody(Function<AppendRequest, Route> inner) {
    return entity(support.json().unmarshaller(AppendRequest.class), inner);
  }

  private Route eventSize(RequestContext context, int chars) {
    Appender.Appended event =
        new Appender.Appended(Auditor.get(support.system()).record(context), "x".repeat(Math.max(0, chars)));
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(support.system()));
    Serializer serializer = serialization.findSerializerFor(event);
    byte[] bytes = serializer.toBinary(event);
    return completeOK(
        new EventSize(bytes.length, serializer.identifier(), Serializers.manifestFor(serializer, event)),
        support.json().marshaller());
  }

  private CompletionStage<Appender.Status> ask(
      RequestContext context,
      String id,
      Function<ActorRef<StatusReply<Appender.Status>>, Appender.Command> command) {
    return support.askWithStatus(
        Entities.ref(support.system(), Appender.KIND, context.tenant(), id), command);
  }

  private Route reply(CompletionStage<Appender.Status> status) {
    return onSuccess(status, value -> completeOK(value, support.json().marshaller()));
  }
}
