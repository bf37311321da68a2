package dev.troupe.http;

import com.typesafe.config.Config;
import dev.troupe.actors.cache.Cache;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.cluster.ClusterJoin;
import dev.troupe.cluster.tls.ClusterTls;
import dev.troupe.http.extension.TroupeExtension;
import dev.troupe.http.identity.IdentityStartup;
import dev.troupe.persistence.journal.JournalSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A running node without its command line: the actor system, the journal's schema, cluster
 * membership, identity (signing keys, the first sys-admin), the cache (bucket types and sweeper),
 * the entity types of every extension, and last the HTTP server, so that nothing takes traffic
 * before it can serve it. Stopping is coordinated shutdown's job.
 *
 * <p>The {@code troupe start} command and the integration tests start nodes the same way.
 */
public final class NodeRuntime {

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final Optional<String> generatedAdminPassword;

  private NodeRuntime(ActorSystem<Void> system, ServerBinding binding, Optional<String> generatedAdminPassword) {
    this.system = system;
    this.binding = binding;
    this.generatedAdminPassword = generatedAdminPassword;
  }

  /** Starts a node with the extensions named in {@code troupe.extensions} plus the given ones. */
  public static NodeRuntime start(Config settings, List<TroupeExtension> more) throws Exception {
    // Cluster TLS is mapped here, where every start passes (CLI, tests, embedders), so a config
    // with troupe.cluster.tls on never gets plain-TCP Artery. Applying it twice changes nothing.
    Config config = DrainSettings.fitShutdownPhase(ClusterTls.apply(settings));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "troupe", config);
    try {
      Duration timeout = config.getDuration("troupe.startup-timeout");
      boolean formsCluster =
          config.getStringList("troupe.cluster.join").isEmpty()
              && !config.getBoolean("troupe.cluster.bootstrap");
      JournalSetup.prepare(system, formsCluster, timeout);
      ClusterJoin.start(system);
      Optional<String> generated = IdentityStartup.start(system, timeout);
      Cache.get(system).start();
      Rooms.get(system).start();
      List<TroupeExtension> extensions = new ArrayList<>(load(config.getStringList("troupe.extensions")));
      extensions.addAll(more);
      for (TroupeExtension extension : extensions) {
        extension.start(system);
      }
      ServerBinding binding =
          HttpServer.start(system, new RootRoute(system, extensions).route())
              .toCompletableFuture()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new NodeRuntime(system, binding, generated);
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

  /**
   * The sys-admin password this start generated (first start without a configured password); the
   * caller prints it once. Empty on every other start.
   */
  public Optional<String> generatedAdminPassword() {
    return generatedAdminPassword;
  }

  /** The HTTP port the node bound (useful with port 0). */
  public int httpPort() {
    return binding.localAddress().getPort();
  }

  private static List<TroupeExtension> load(List<String> classNames) {
    List<TroupeExtension> extensions = new ArrayList<>();
    for (String className : classNames) {
      try {
        extensions.add((TroupeExtension) Class.forName(className).getConstructor().newInstance());
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalStateException("cannot load extension " + className, e);
      }
    }
    return extensions;
  }
}
