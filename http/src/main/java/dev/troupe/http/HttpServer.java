package dev.troupe.http;

import com.typesafe.config.Config;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds the node's one HTTP server and ties it to coordinated shutdown: on SIGTERM it stops
 * accepting connections, lets in-flight requests finish (up to {@code troupe.http.drain-deadline}),
 * and only then do shards hand off and the node leave the cluster.
 */
public final class HttpServer {

  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route route) {
    Config config = system.settings().config().getConfig("troupe.http");
    return Http.get(system)
        .newServerAt(config.getString("host"), config.getInt("port"))
        .bind(route)
        .thenApply(binding -> binding.addToCoordinatedShutdown(config.getDuration("drain-deadline"), system));
  }
}
