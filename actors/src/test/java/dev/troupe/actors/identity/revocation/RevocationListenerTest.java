package dev.troupe.actors.identity.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Revocations#onNewlyRevoked}: told once per newly revoked id, at once for a local revoke. */
class RevocationListenerTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "RevocationListenerTest",
          ConfigFactory.parseString(
                  """
                  pekko.actor.provider = cluster
                  pekko.remote.artery.canonical.hostname = "127.0.0.1"
                  pekko.remote.artery.canonical.port = 0
                  pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                  pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
                  troupe.identity.revocation.write-timeout = 2s
                  """)
              .withFallback(ConfigFactory.load()));

  @BeforeAll
  static void joinSelf() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.selfMember().status() == MemberStatus.up());
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void listenersHearANewRevocationOnceAndNotTheReplicatedEcho() throws Exception {
    Revocations revocations = Revocations.get(testKit.system());
    List<Set<String>> heard = new CopyOnWriteArrayList<>();
    revocations.onNewlyRevoked(heard::add);

    var written = revocations.revoke("listened-a", Instant.now().plus(Duration.ofMinutes(5)));
    // Synchronously, before the replicated write completes.
    assertThat(heard).containsExactly(Set.of("listened-a"));
    written.toCompletableFuture().get(10, TimeUnit.SECONDS);
    // The replicator's echo of the same entry (and an extension of it) is not news. Wait for the
    // echo itself (the replicated map, not our pending write) before checking nobody heard it.
    await().atMost(Duration.ofSeconds(5)).until(() -> revocations.replicatedEntries().containsKey("listened-a"));
    assertThat(heard).containsExactly(Set.of("listened-a"));
    long extended = Instant.now().plus(Duration.ofMinutes(6)).toEpochMilli();
    revocations.revoke("listened-a", Instant.ofEpochMilli(extended)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> revocations.replicatedEntries().getOrDefault("listened-a", 0L) >= extended);
    revocations.revoke("listened-b", Instant.now().plus(Duration.ofMinutes(5))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(heard).containsExactly(Set.of("listened-a"), Set.of("listened-b"));
  }

  @Test
  void aFailingListenerDoesNotStopTheOthersNorTheRevocation() {
    Revocations revocations = Revocations.get(testKit.system());
    List<Set<String>> heard = new CopyOnWriteArrayList<>();
    revocations.onNewlyRevoked(ids -> {
      throw new IllegalStateException("boom");
    });
    revocations.onNewlyRevoked(heard::add);
    revocations.revoke("listened-c", Instant.now().plus(Duration.ofMinutes(5)));
    assertThat(revocations.isRevoked("listened-c")).isTrue();
    assertThat(heard).anySatisfy(ids -> assertThat(ids).contains("listened-c"));
  }
}
