package dev.troupe.platform;

import com.typesafe.config.Config;
import dev.troupe.http.NodeRuntime;
import dev.troupe.persistence.journal.JournalConfig;
import dev.troupe.persistence.journal.JournalKind;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import kamon.Kamon;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import scala.jdk.javaapi.FutureConverters;

/**
 * A node as {@code troupe start} runs it: metrics (Kamon must start before the actor system so
 * its instrumentation sees it), then the {@link NodeRuntime}.
 */
final class TroupeNode {

  private final NodeRuntime runtime;

  private TroupeNode(NodeRuntime runtime) {
    this.runtime = runtime;
  }

  static TroupeNode start(Config config) throws Exception {
    boolean metrics = config.getBoolean("troupe.metrics.enabled");
    if (metrics) {
      Kamon.init(config);
    }
    NodeRuntime runtime = NodeRuntime.start(config, List.of());
    if (metrics) {
      CoordinatedShutdown.get(runtime.system())
          .addTask(
              CoordinatedShutdown.PhaseActorSystemTerminate(),
              "stop-kamon",
              (Supplier<CompletionStage<Done>>)
                  () -> FutureConverters.asJava(Kamon.stop()).thenApply(done -> Done.getInstance()));
    }
    return new TroupeNode(runtime);
  }

  /** What the node prints once it serves. */
  String describe() {
    Config config = runtime.system().settings().config();
    var http = runtime.binding().localAddress();
    JournalKind journal = JournalConfig.kindOf(config);
    StringBuilder text = new StringBuilder();
    text.append("Troupe node ")
        .append(runtime.system().address().hostPort())
        .append(" listening on http://")
        .append(http.getHostString())
        .append(':')
        .append(http.getPort())
        .append(" (journal ")
        .append(journal.configName());
    if (journal == JournalKind.H2) {
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
      text.append(", metrics http://127.0.0.1:")
          .append(config.getInt("kamon.prometheus.embedded-server.port"))
          .append("/metrics");
    }
    return text.append(')').toString();
  }

  CompletableFuture<Done> whenTerminated() {
    return runtime.system().getWhenTerminated().toCompletableFuture();
  }
}
