package dev.troupe.actors.identity.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.identity.Principal;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Key synchronisation on a one-node cluster: the first key is created, rotation keeps old tokens valid. */
class KeyRingSyncTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "KeyRingSyncTest",
          ConfigFactory.parseString(
                  """
                  pekko.actor.provider = cluster
                  pekko.remote.artery.canonical.hostname = "127.0.0.1"
                  pekko.remote.artery.canonical.port = 0
                  pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                  troupe.node-name = unit-node
                  troupe.identity.tokens.algorithm = EdDSA
                  troupe.identity.tokens.key-refresh-min-interval = 0s
                  """)
              .withFallback(PersistenceTestKitPlugin.getInstance().config())
              .withFallback(ConfigFactory.load()));

  private static final Principal ALICE = new Principal("alice", "acme", "s1", Set.of("org-admin"));

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
  void createsTheFirstKeyRotatesAndKeepsOldTokensValid() throws Exception {
    KeyRingSync sync = KeyRingSync.get(testKit.system());
    sync.ready().toCompletableFuture().get(20, TimeUnit.SECONDS);

    Instant now = Instant.now();
    String first = sync.issuer().issue(ALICE, now, now.plus(Duration.ofHours(1)));
    assertThat(sync.verify(first, now).toCompletableFuture().get(5, TimeUnit.SECONDS).principal())
        .isEqualTo(ALICE);
    String firstKid = sync.keyRing().current().kid();

    String newKid =
        sync.rotateNow(new RequestContext("req-1", "root", "system"))
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);

    assertThat(newKid).isNotEqualTo(firstKid);
    assertThat(sync.keyRing().current().kid()).isEqualTo(newKid);
    String second = sync.issuer().issue(ALICE, now, now.plus(Duration.ofHours(1)));
    assertThat(sync.verifier().verify(first, now).principal()).isEqualTo(ALICE);
    assertThat(sync.verifier().verify(second, now).principal()).isEqualTo(ALICE);

    KeySet refreshed = sync.refresh().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(refreshed.current().map(KeyEntry::kid)).contains(newKid);
    assertThat(refreshed.find(firstKid)).hasValueSatisfying(k -> assertThat(k.retired()).isTrue());
  }
}
