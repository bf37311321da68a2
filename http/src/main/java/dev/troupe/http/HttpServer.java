package dev.troupe.http;

import com.typesafe.config.Config;
import dev.troupe.http.tls.ServerTls;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds the node's one HTTP server and ties it to coordinated shutdown: on SIGTERM it stops
 * accepting connections, lets in-flight requests finish (up to {@code troupe.http.drain-deadline}),
 * and only then do shards hand off and the node leave the cluster.
 *
 * <p>With {@code troupe.http.tls.mode} other than off the port speaks HTTPS only (see {@link
 * ServerTls}), and HTTP/2 is negotiated by ALPN beside HTTP/1.1 (WebSockets use HTTP/1.1).
 */
public final class HttpServer {

  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route route) {
    Config config = system.settings().config().getConfig("troupe.http");
    ServerBuilder server = Http.get(system).newServerAt(config.getString("host"), config.getInt("port"));
    Optional<HttpsConnectionContext> https = ServerTls.context(system);
    if (https.isPresent()) {
      server = server.enableHttps(https.get()).adaptSettings(settings -> settings.withEnableHttp2(true));
    }
    return server
        .bind(route)
        .thenApply(binding -> binding.addToCoordinatedShutdown(config.getDuration("drain-deadline"), system));
  }
}
