package dev.troupe.bench.bare;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The HTTP baseline: a bare Pekko HTTP hello-world (routing DSL, Pekko's default settings, no
 * cluster, no metrics) answering {@code GET /health/live} with the same body and content type a
 * Troupe node answers there, {@code {"status":"up"}} as {@code application/json}.
 *
 * <p>Usage: {@code BareHttpServer <host> <port>}; prints one line once bound, stops on SIGTERM.
 */
public final class BareHttpServer extends AllDirectives {

  static final String BODY = "{\"status\":\"up\"}";

  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8090;
    // Only Pekko's own defaults: ConfigFactory.load() sees no Troupe override file.
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bare", ConfigFactory.load());
    ServerBinding binding =
        Http.get(system)
            .newServerAt(host, port)
            .bind(new BareHttpServer().route())
            .toCompletableFuture()
            .get();
    System.out.println("bare pekko-http listening on http://" + host + ":" + binding.localAddress().getPort());
    System.out.flush();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  Route route() {
    return path(
        PathMatchers.segment("health").slash("live"),
        () -> get(() -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, BODY))));
  }
}
