package dev.troupe.http.routes;

import dev.troupe.cluster.NodeReadiness;
import dev.troupe.http.json.JsonSupport;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /health/live}: the process serves requests. {@code GET /health/ready}: the node has
 * joined, sharding is up and the journal answers (503 with the failed checks otherwise). Neither
 * needs authentication; neither says more than up/down and why.
 */
public final class HealthRoutes extends AllDirectives {

  /** Liveness is a constant answer: built once, not marshalled per probe. */
  private static final HttpResponse LIVE =
      HttpResponse.create()
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"status\":\"up\"}"));

  private final NodeReadiness readiness;
  private final JsonSupport json;

  public HealthRoutes(ActorSystem<?> system, JsonSupport json) {
    this.readiness = NodeReadiness.get(system);
    this.json = json;
  }

  public Route route() {
    return pathPrefix(
        "health",
        () ->
            concat(
                path("live", () -> get(() -> complete(LIVE))),
                path(
                    "ready",
                    () ->
                        get(
                            () ->
                                onSuccess(
                                    readiness.check(),
                                    result ->
                                        complete(
                                            result.ready() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                                            body(result),
                                            json.marshaller()))))));
  }

  private static Map<String, Object> body(NodeReadiness.Result result) {
    return result.ready()
        ? Map.of("status", "ready", "failures", List.of())
        : Map.of("status", "not_ready", "failures", result.failures());
  }
}
