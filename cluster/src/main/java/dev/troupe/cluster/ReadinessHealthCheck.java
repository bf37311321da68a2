package dev.troupe.cluster;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * {@link NodeReadiness} as a Pekko Management readiness check, so Kubernetes' probe of {@code
 * /ready} on the management port sees what {@code /health/ready} sees. Registered in this module's
 * {@code reference.conf}.
 */
public final class ReadinessHealthCheck implements Supplier<CompletionStage<Boolean>> {

  private final NodeReadiness readiness;

  public ReadinessHealthCheck(ActorSystem system) {
    this.readiness = NodeReadiness.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return readiness.check().thenApply(NodeReadiness.Result::ready);
  }
}
