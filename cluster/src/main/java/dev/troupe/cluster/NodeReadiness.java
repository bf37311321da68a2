package dev.troupe.cluster;

import dev.troupe.persistence.journal.AuditJournal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Whether this node should get traffic: it has joined the cluster (Up), every sharded entity type
 * has a region registered with its coordinator, and the journal answers a read.
 *
 * <p>The same check serves {@code /health/ready} on the HTTP port and {@code /ready} on the
 * management port (through {@link ReadinessHealthCheck}), so both always agree.
 */
public final class NodeReadiness implements Extension {

  /** The result of one check, with the reasons it failed. */
  public record Result(boolean ready, List<String> failures) {}

  private static final String PROBE_PERSISTENCE_ID = "troupe-readiness|probe";

  private final ActorSystem<?> system;
  private final Duration timeout;
  private final ClusterOverview overview;
  private volatile AuditJournal journal;

  private NodeReadiness(ActorSystem<?> system) {
    this.system = system;
    this.timeout = system.settings().config().getDuration("troupe.cluster.readiness-timeout");
    this.overview = new ClusterOverview(system);
  }

  public static NodeReadiness get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public CompletionStage<Result> check() {
    List<String> failures = new ArrayList<>();
    if (CoordinatedShutdown.get(system).getShutdownReason().isPresent()) {
      // Draining: tell load balancers to stop sending before the server stops accepting.
      return CompletableFuture.completedFuture(new Result(false, List.of("node is shutting down")));
    }
    Cluster cluster = Cluster.get(system);
    MemberStatus status = cluster.selfMember().status();
    if (status != MemberStatus.up() && status != MemberStatus.weaklyUp()) {
      failures.add("cluster membership is " + status + ", not Up");
    }
    String self = cluster.selfMember().address().toString();
    CompletableFuture<Void> checks =
        journalAnswers()
            .exceptionally(
                e -> {
                  synchronized (failures) {
                    failures.add("journal does not answer: " + rootMessage(e));
                  }
                  return null;
                })
            .toCompletableFuture();
    List<EntityTypeKey<?>> keys = ShardedTypes.get(system).all();
    if (!keys.isEmpty()) {
      CompletableFuture<Void> regions =
          overview
              .view()
              .toCompletableFuture()
              .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .thenAccept(
                  view -> {
                    for (EntityTypeKey<?> key : keys) {
                      boolean registered =
                          view.members().stream()
                              .anyMatch(
                                  m -> m.address().equals(self) && m.shards().containsKey(key.name()));
                      if (!registered) {
                        synchronized (failures) {
                          failures.add("sharding region for " + key.name() + " is not registered");
                        }
                      }
                    }
                  })
              .exceptionally(
                  e -> {
                    synchronized (failures) {
                      failures.add("sharding does not answer: " + rootMessage(e));
                    }
                    return null;
                  });
      checks = checks.thenCombine(regions, (a, b) -> null);
    }
    return checks.thenApply(
        ignored -> {
          synchronized (failures) {
            return new Result(failures.isEmpty(), List.copyOf(failures));
          }
        });
  }

  private CompletableFuture<Void> journalAnswers() {
    if (journal == null) {
      journal = new AuditJournal(system);
    }
    return journal
        .first(PROBE_PERSISTENCE_ID)
        .toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(ignored -> null);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }

  private static final class Id extends ExtensionId<NodeReadiness> {
    static final Id INSTANCE = new Id();

    @Override
    public NodeReadiness createExtension(ActorSystem<?> system) {
      return new NodeReadiness(system);
    }
  }
}
