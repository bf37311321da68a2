package dev.troupe.platform;

import com.typesafe.config.Config;
import dev.troupe.cluster.ClusterJoin;
import dev.troupe.http.HttpServer;
import dev.troupe.http.RootRoute;
import dev.troupe.http.extension.TroupeExtension;
import dev.troupe.persistence.journal.JournalConfig;
import dev.troupe.persistence.journal.JournalSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import scala.jdk.javaapi.FutureConverters;
import java.util.concurrent.TimeUnit;
import kamon.Kamon;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * Starts one node, in order: metrics, the actor system, the journal's schema, cluster membership,
 * the entity types of every extension, and last the HTTP server, so that nothing takes traffic
 * before it can serve it. Stopping is coordinated shutdown's job (SIGTERM, Ctrl-C).
 */
public final class TroupeNode {

  private final ActorSystem<Void> system;
  private final ServerBinding binding;

  private TroupeNode(ActorSystem<Void> system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  public static TroupeNode start(Config config) throws Exception {
    boolean metrics = config.getBoolean("troupe.metrics.enabled");
    if (metrics) {
      Kamon.init(config);
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "troupe", config);
    try {
      if (metrics) {
        CoordinatedShutdown.get(system)
            .addTask(
                CoordinatedShutdown.PhaseActorSystemTerminate(),
                "stop-kamon",
                (Supplier<CompletionStage<Done>>)
                    () -> FutureConverters.asJava(Kamon.stop()).thenApply(done -> Done.getInstance()));
      }
      boolean formsCluster =
          config.getStringList("troupe.cluster.join").isEmpty()
              && !config.getBoolean("troupe.cluster.bootstrap");
      JournalSetup.prepare(system, formsCluster, config.getDuration("troupe.startup-timeout"));
      ClusterJoin.start(system);
      List<TroupeExtension> extensions = loadExtensions(config.getStringList("troupe.extensions"));
      for (TroupeExtension extension : extensions) {
        extension.start(system);
      }
      ServerBinding binding =
          HttpServer.start(system, new RootRoute(system, extensions).route())
              .toCompletableFuture()
              .get(config.getDuration("troupe.startup-timeout").toMillis(), TimeUnit.MILLISECONDS);
      return new TroupeNode(system, binding);
    } catch (Exception e) {
      system.terminate();
      throw e;
    }
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public ServerBinding binding() {
    return binding;
  }

  /** What the node prints once it serves. */
  public String describe() {
    Config config = system.settings().config();
    var http = binding.localAddress();
    StringBuilder text = new StringBuilder();
    text.append("Troupe node ")
        .append(system.address().hostPort())
        .append(" listening on http://")
        .append(http.getHostString())
        .append(':')
        .append(http.getPort());
    text.append(" (journal ").append(JournalConfig.kindOf(config).configName());
    if (JournalConfig.kindOf(config) == dev.troupe.persistence.journal.JournalKind.H2) {
      text.append(" in ").append(config.getString("troupe.data-dir"));
    } else {
      text.append(" at ").append(config.getStringList("troupe.persistence.cassandra.contact-points"));
    }
    if (config.getBoolean("troupe.cluster.management.enabled")) {
      text.append(", management http://")
          .append(config.getString("pekko.management.http.hostname"))
          .append(':')
          .append(config.getInt("pekko.management.http.port"));
    }
    if (config.getBoolean("troupe.metrics.enabled")) {
      text.append(", metrics :").append(config.getInt("kamon.prometheus.embedded-server.port"));
    }
    return text.append(')').toString();
  }

  /** Completes when the actor system has terminated. */
  public CompletableFuture<Done> whenTerminated() {
    return system.getWhenTerminated().toCompletableFuture();
  }

  private static List<TroupeExtension> loadExtensions(List<String> classNames) {
    List<TroupeExtension> extensions = new ArrayList<>();
    for (String className : classNames) {
      try {
        extensions.add(
            (TroupeExtension) Class.forName(className).getConstructor().newInstance());
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalStateException("cannot load extension " + className, e);
      }
    }
    return extensions;
  }
}
