package dev.troupe.actors.identity.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Revocations on a one-node cluster: visible at once, pruned after their end. */
class RevocationsTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "RevocationsTest",
          ConfigFactory.parseString(
                  """
                  pekko.actor.provider = cluster
                  pekko.remote.artery.canonical.hostname = "127.0.0.1"
                  pekko.remote.artery.canonical.port = 0
                  pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                  pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
                  pekko.cluster.distributed-data.gossip-interval = 500ms
                  troupe.identity.revocation.prune-interval = 200ms
                  troupe.identity.revocation.write-timeout = 2s
                  """)
              .withFallback(ConfigFactory.load()));

  @BeforeAll
  static void joinSelf() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> cluster.selfMember().status() == MemberStatus.up());
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void revokedSessionIsRevokedAtOnceAndConfirmed() throws Exception {
    Revocations revocations = Revocations.get(testKit.system());
    var written = revocations.revoke("session-a", Instant.now().plus(Duration.ofMinutes(5)));

    assertThat(revocations.isRevoked("session-a")).isTrue();
    assertThat(written.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(Done.getInstance());
    assertThat(revocations.isRevoked("session-a")).isTrue();
    assertThat(revocations.isRevoked("session-b")).isFalse();
    assertThat(revocations.isRevoked(null)).isFalse();
  }

  @Test
  void entriesEndAndArePrunedAfterTheirEnd() throws Exception {
    Revocations revocations = Revocations.get(testKit.system());
    Instant until = Instant.now().plus(Duration.ofMillis(1500));
    revocations.revoke("session-short", until).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(revocations.isRevoked("session-short")).isTrue();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> revocations.entries().containsKey("session-short"));

    await().atMost(10, TimeUnit.SECONDS).until(() -> !revocations.isRevoked("session-short"));
    assertThat(Instant.now()).isAfterOrEqualTo(until);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> !revocations.entries().containsKey("session-short"));
  }

  @Test
  void aRevocationAlreadyOverIsNotKept() throws Exception {
    Revocations revocations = Revocations.get(testKit.system());
    revocations
        .revoke("session-past", Instant.now().minusSeconds(1))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertThat(revocations.isRevoked("session-past")).isFalse();
    assertThat(revocations.entries()).doesNotContainKey("session-past");
  }

  @Test
  void refusesInvalidSessionIds() {
    Revocations revocations = Revocations.get(testKit.system());
    Instant until = Instant.now().plusSeconds(60);

    assertThat(revocations.revoke("", until).toCompletableFuture()).isCompletedExceptionally();
    assertThat(revocations.revoke("x".repeat(200), until).toCompletableFuture())
        .isCompletedExceptionally();
  }
}
