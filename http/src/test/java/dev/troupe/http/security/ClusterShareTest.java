package dev.troupe.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The share follows the members Up: two real cluster members over Artery, one leaving. */
class ClusterShareTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private ActorSystem<Void> first;
  private ActorSystem<Void> second;

  private static ActorSystem<Void> system(String name) {
    Config config =
        ConfigFactory.parseString(
                """
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.enabled = off
                pekko.coordinated-shutdown.exit-jvm = off
                pekko.cluster.seed-nodes = []
                """)
            .withFallback(ConfigFactory.load());
    return ActorSystem.create(Behaviors.empty(), name, config);
  }

  @AfterEach
  void stop() {
    for (ActorSystem<Void> system : new ActorSystem[] {second, first}) {
      if (system != null) {
        system.terminate();
        system
            .getWhenTerminated()
            .toCompletableFuture()
            .orTimeout(30, java.util.concurrent.TimeUnit.SECONDS)
            .join();
      }
    }
  }

  @Test
  void eachNodeGrantsOneAndAHalfOverTheMembersUp() {
    first = system("share");
    second = system("share");
    ClusterShare one = ClusterShare.get(first);
    ClusterShare two = ClusterShare.get(second);
    Cluster.get(first).manager().tell(Join.create(Cluster.get(first).selfMember().address()));
    Cluster.get(second).manager().tell(Join.create(Cluster.get(first).selfMember().address()));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(one.upMembers())
                  .as("%s", Cluster.get(first).state().getMembers())
                  .isEqualTo(2);
              assertThat(two.upMembers())
                  .as("%s", Cluster.get(second).state().getMembers())
                  .isEqualTo(2);
            });
    assertThat(one.fraction()).isEqualTo(0.75);

    Cluster.get(second).manager().tell(Leave.create(Cluster.get(second).selfMember().address()));
    await().atMost(WAIT).untilAsserted(() -> assertThat(one.upMembers()).isEqualTo(1));
    assertThat(one.fraction()).isEqualTo(1.0);
  }
}
