package dev.troupe.actors.cache.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.troupe.cluster.ShardedTypes;
import dev.troupe.persistence.audit.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The memory bucket on a one-node cluster: same decisions, entries kept in Distributed Data. */
class MemoryBucketTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "MemoryBucketTest",
          ConfigFactory.parseString(
                  """
                  troupe.node-name = unit-node
                  pekko.actor.provider = cluster
                  pekko.remote.artery.canonical.hostname = "127.0.0.1"
                  pekko.remote.artery.canonical.port = 0
                  pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                  """)
              .withFallback(ConfigFactory.load()));

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final RequestContext ANN = new RequestContext("req-1", "ann", "acme");

  /** One reporter call. */
  record Report(String id, Optional<Instant> earliest) {}

  private final TestClock clock = new TestClock(T0);
  private final TestProbe<Report> reports = testKit.createTestProbe();
  private final BucketEnv env =
      new BucketEnv(
          ns -> new BucketLimits(2, 1 << 20),
          (type, id, earliest) -> {
            assertThat(type).isEqualTo(MemoryBucket.TYPE);
            reports.ref().tell(new Report(id, earliest));
          },
          clock,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          new LocalBuckets());

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

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private BucketReply.PutReply put(ActorRef<BucketCommand> bucket, String key, String value) {
    TestProbe<BucketReply.PutReply> probe = testKit.createTestProbe();
    bucket.tell(
        new BucketCommand.Put(
            ANN, key, bytes(value), "text/plain", MINUTE, List.of("t"), null, false, probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private BucketReply.Entry get(ActorRef<BucketCommand> bucket, String key) {
    TestProbe<BucketReply.Got> probe = testKit.createTestProbe();
    bucket.tell(new BucketCommand.Get(key, probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10)).entry();
  }

  private ActorRef<BucketCommand> restart(ActorRef<BucketCommand> bucket, String entityId) {
    testKit.stop(bucket);
    return testKit.spawn(MemoryBucket.create(env, entityId));
  }

  @Test
  void entriesSurviveStoppingAndRestartingTheBucket() {
    String id = "acme:mem~0";
    ActorRef<BucketCommand> bucket = testKit.spawn(MemoryBucket.create(env, id));
    put(bucket, "a", "one");
    String etag = ((BucketReply.Stored) put(bucket, "b", "two")).etag();
    assertThat(reports.receiveMessage().earliest()).contains(T0.plus(MINUTE));
    TestProbe<BucketReply.Deleted> deleted = testKit.createTestProbe();
    bucket.tell(new BucketCommand.Delete(ANN, "a", deleted.ref()));
    assertThat(deleted.receiveMessage().existed()).isTrue();

    ActorRef<BucketCommand> again = restart(bucket, id);
    // The first command is stashed until the entries are read back.
    BucketReply.Entry b = get(again, "b");
    assertThat(b).isNotNull();
    assertThat(b.value()).isEqualTo(bytes("two"));
    assertThat(b.etag()).isEqualTo(etag);
    assertThat(get(again, "a")).isNull();
    assertThat(reports.receiveMessage()).isEqualTo(new Report(id, Optional.of(T0.plus(MINUTE))));

    // The put counter continues from the highest replicated revision.
    clock.advance(Duration.ofSeconds(1));
    put(again, "c", "three");
    assertThat(get(again, "c").revision()).isEqualTo(3);
  }

  @Test
  void evictionAndExpiryRemoveEntriesFromTheReplicaToo() {
    String id = "acme:mem~1";
    ActorRef<BucketCommand> bucket = testKit.spawn(MemoryBucket.create(env, id));
    put(bucket, "a", "1");
    clock.advance(Duration.ofSeconds(1));
    put(bucket, "b", "2");
    clock.advance(Duration.ofSeconds(1));
    put(bucket, "c", "3"); // evicts a (2 entries per bucket)
    TestProbe<BucketReply.Stats> stats = testKit.createTestProbe();
    bucket.tell(new BucketCommand.GetStats(stats.ref()));
    assertThat(stats.receiveMessage().evictions()).isEqualTo(1);

    ActorRef<BucketCommand> again = restart(bucket, id);
    assertThat(get(again, "a")).isNull();
    assertThat(get(again, "b")).isNotNull();
    clock.advance(MINUTE);
    again.tell(new BucketCommand.Sweep());
    TestProbe<BucketReply.Count> flushed = testKit.createTestProbe();
    again.tell(new BucketCommand.Flush(ANN, flushed.ref()));
    assertThat(flushed.receiveMessage().count()).isZero();

    ActorRef<BucketCommand> third = restart(again, id);
    third.tell(new BucketCommand.GetStats(stats.ref()));
    assertThat(stats.receiveMessage().entries()).isZero();
  }

  @Test
  void leasesWorkAsInTheDurableBucket() {
    ActorRef<BucketCommand> bucket = testKit.spawn(MemoryBucket.create(env, "acme:mem~2"));
    TestProbe<BucketReply.AcquireReply> holder = testKit.createTestProbe();
    TestProbe<BucketReply.AcquireReply> waiter = testKit.createTestProbe();
    bucket.tell(new BucketCommand.Acquire("k", MINUTE, holder.ref()));
    String lease = holder.expectMessageClass(BucketReply.Granted.class).leaseId();
    bucket.tell(new BucketCommand.Acquire("k", MINUTE, waiter.ref()));

    TestProbe<BucketReply.PutReply> filled = testKit.createTestProbe();
    bucket.tell(
        new BucketCommand.Fill(
            ANN, "k", lease, bytes("v"), "text/plain", MINUTE, List.of(), filled.ref()));
    filled.expectMessageClass(BucketReply.Stored.class);
    assertThat(waiter.expectMessageClass(BucketReply.Found.class).entry().value())
        .isEqualTo(bytes("v"));
  }

  @Test
  void flushAndInvalidationAlsoRemoveReplicaEntriesTheBucketNeverSaw() {
    String id = "acme:mem~4";
    ActorRef<BucketCommand> bucket = testKit.spawn(MemoryBucket.create(env, id));
    put(bucket, "a", "1"); // tagged t
    // Entries gossip merged into the replica after the bucket read it (e.g. after a ReadLocal
    // that missed them): the bucket's own state does not have them.
    writeToReplica(id, entry("ghost-t", "t"), entry("ghost-u", "u"));

    TestProbe<BucketReply.Count> count = testKit.createTestProbe();
    bucket.tell(new BucketCommand.InvalidateTag(ANN, "t", count.ref()));
    assertThat(count.receiveMessage().count()).isEqualTo(1);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(replica(id)).containsOnlyKeys("ghost-u"));

    put(bucket, "b", "2");
    bucket.tell(new BucketCommand.Flush(ANN, count.ref()));
    assertThat(count.receiveMessage().count()).isEqualTo(1);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(() -> assertThat(replica(id)).isEmpty());
    // So they do not come back when the bucket starts again.
    ActorRef<BucketCommand> again = restart(bucket, id);
    TestProbe<BucketReply.Stats> stats = testKit.createTestProbe();
    again.tell(new BucketCommand.GetStats(stats.ref()));
    assertThat(stats.receiveMessage().entries()).isZero();
  }

  private static BucketReply.Entry entry(String key, String tag) {
    return new BucketReply.Entry(
        key, bytes("x"), "text/plain", 99, T0, T0.plus(MINUTE), List.of(tag));
  }

  private void writeToReplica(String entityId, BucketReply.Entry... entries) {
    SelfUniqueAddress self = DistributedData.get(testKit.system()).selfUniqueAddress();
    TestProbe<Replicator.UpdateResponse<LWWMap<String, BucketReply.Entry>>> probe =
        testKit.createTestProbe();
    DistributedData.get(testKit.system())
        .replicator()
        .tell(
            new Replicator.Update<>(
                MemoryReplica.key(entityId),
                LWWMap.create(),
                Replicator.writeLocal(),
                probe.ref(),
                map -> {
                  LWWMap<String, BucketReply.Entry> result = map;
                  for (BucketReply.Entry e : entries) {
                    result = result.put(self, e.key(), e);
                  }
                  return result;
                }));
    assertThat(probe.receiveMessage(Duration.ofSeconds(10)))
        .isInstanceOf(Replicator.UpdateSuccess.class);
  }

  private Map<String, BucketReply.Entry> replica(String entityId) {
    TestProbe<Replicator.GetResponse<LWWMap<String, BucketReply.Entry>>> probe =
        testKit.createTestProbe();
    var key = MemoryReplica.key(entityId);
    DistributedData.get(testKit.system())
        .replicator()
        .tell(new Replicator.Get<>(key, Replicator.readLocal(), probe.ref()));
    var response = probe.receiveMessage(Duration.ofSeconds(10));
    assertThat(response).isInstanceOf(Replicator.GetSuccess.class);
    return ((Replicator.GetSuccess<LWWMap<String, BucketReply.Entry>>) response)
        .get(key)
        .getEntries();
  }

  @Test
  void runsAsAShardedEntity() {
    ShardedTypes.get(testKit.system()).register(MemoryBucket.TYPE_KEY);
    ClusterSharding sharding = ClusterSharding.get(testKit.system());
    sharding.init(MemoryBucket.entity(env));
    var ref = sharding.entityRefFor(MemoryBucket.TYPE_KEY, "acme:mem~3");

    BucketReply.PutReply stored =
        ref.<BucketReply.PutReply>ask(
                replyTo ->
                    new BucketCommand.Put(
                        ANN, "k", bytes("v"), "text/plain", MINUTE, List.of(), null, false,
                        replyTo),
                Duration.ofSeconds(10))
            .toCompletableFuture()
            .join();
    assertThat(stored).isInstanceOf(BucketReply.Stored.class);
    BucketReply.Got got =
        ref.<BucketReply.Got>ask(replyTo -> new BucketCommand.Get("k", replyTo), Duration.ofSeconds(10))
            .toCompletableFuture()
            .join();
    assertThat(got.entry().value()).isEqualTo(bytes("v"));
  }
}
