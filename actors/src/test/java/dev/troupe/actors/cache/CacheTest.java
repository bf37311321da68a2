package dev.troupe.actors.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.cache.bucket.BucketEvent;
import dev.troupe.actors.cache.bucket.BucketReply;
import dev.troupe.actors.cache.sweep.CacheSchedule;
import dev.troupe.actors.cache.sweep.ScheduleReporter;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cache through its Java API on a one-node cluster with the in-memory journal: every call
 * goes through sharding to real buckets. Each test uses its own namespace.
 */
class CacheTest {

  private static final int BUCKETS = 8;

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "CacheTest",
          ConfigFactory.parseString(
                  """
                  pekko.actor.provider = cluster
                  pekko.remote.artery.canonical.hostname = "127.0.0.1"
                  pekko.remote.artery.canonical.port = 0
                  pekko.remote.artery.advanced.maximum-frame-size = 2MiB
                  pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                  # The sweeper ticks every 200 ms: a message to a shard being handed off at
                  # shutdown must not hold the region for the default 10 s.
                  pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 2s
                  pekko.actor.testkit.typed.system-shutdown-default = 30s
                  troupe.node-name = unit-node
                  troupe.entities.ask-timeout = 5s
                  troupe.cache {
                    buckets = %d
                    max-value-size = 64KiB
                    sweep-interval = 200ms
                    sweep-workers = 2
                    lease-timeout = 3s
                    namespaces {
                      mem { durable = off, max-bytes = 8MiB }
                      short { default-ttl = 30s, max-ttl = 1m }
                      tiny { max-entries = %d }
                    }
                  }
                  """
                      .formatted(BUCKETS, BUCKETS))
              .withFallback(PersistenceTestKitPlugin.getInstance().config())
              .withFallback(PersistenceTestKitSnapshotPlugin.config())
              .withFallback(ConfigFactory.load()));

  private static final RequestContext ALICE = new RequestContext("req-1", "alice", "acme");
  private static final RequestContext BOB = new RequestContext("req-2", "bob", "beta");

  private static Cache cache;
  private static PersistenceTestKit journal;

  @BeforeAll
  static void startOneNodeCluster() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> cluster.selfMember().status() == MemberStatus.up());
    cache = Cache.get(testKit.system());
    cache.start();
    cache.start(); // a second call changes nothing
    journal = PersistenceTestKit.create(testKit.system());
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static <T> T result(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The failure a stage completed with, as handle() sees it (must not be wrapped). */
  private static Throwable failure(CompletionStage<?> stage) throws Exception {
    return stage
        .handle((value, error) -> error)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static CacheException.Kind kindOf(CompletionStage<?> stage) throws Exception {
    Throwable error = failure(stage);
    assertThat(error).isInstanceOf(CacheException.class);
    return ((CacheException) error).kind();
  }

  private static CacheValue text(String s) {
    return new CacheValue(s.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  private static String textOf(CacheEntry entry) {
    return new String(entry.value(), StandardCharsets.UTF_8);
  }

  private static List<Object> events(String type, String tenant, String ns, int bucket) {
    return journal.persistedInStorage(type + "|" + tenant + ":" + ns + "~" + bucket);
  }

  @Test
  void putGetAndDelete() throws Exception {
    Instant before = Instant.now();
    String etag =
        result(
            cache.put(
                ALICE,
                "pages",
                "home",
                new CacheValue("<h1>hi</h1>".getBytes(StandardCharsets.UTF_8), "text/html"),
                PutOptions.ttl(Duration.ofMinutes(5)).withTags(List.of("site", "lang:en"))));

    CacheEntry entry = result(cache.get(ALICE, "pages", "home")).orElseThrow();
    assertThat(entry.key()).isEqualTo("home");
    assertThat(textOf(entry)).isEqualTo("<h1>hi</h1>");
    assertThat(entry.contentType()).isEqualTo("text/html");
    assertThat(entry.etag()).isEqualTo(etag).isNotBlank();
    assertThat(entry.tags()).containsExactly("site", "lang:en");
    assertThat(entry.storedAt()).isBetween(before.minusMillis(1), Instant.now());
    assertThat(entry.expiresAt()).isEqualTo(entry.storedAt().plus(Duration.ofMinutes(5)));

    // Another tenant's same namespace and key is another entry.
    assertThat(result(cache.get(BOB, "pages", "home"))).isEmpty();

    // The durable namespace journals its put in the key's bucket.
    int bucket = cache.settings().bucketOf("home");
    assertThat(events("cache-bucket", "acme", "pages", bucket))
        .anySatisfy(e -> assertThat(e).isInstanceOf(BucketEvent.Stored.class));

    assertThat(result(cache.delete(ALICE, "pages", "home"))).isTrue();
    assertThat(result(cache.get(ALICE, "pages", "home"))).isEmpty();
    assertThat(result(cache.delete(ALICE, "pages", "home"))).isFalse();
  }

  @Test
  void aPutWithoutTtlTakesTheNamespaceDefault() throws Exception {
    result(cache.put(ALICE, "defaults", "k", text("v"), PutOptions.DEFAULT));

    CacheEntry entry = result(cache.get(ALICE, "defaults", "k")).orElseThrow();
    assertThat(Duration.between(entry.storedAt(), entry.expiresAt())).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void compareAndSetNeedsTheCurrentEtag() throws Exception {
    String first = result(cache.put(ALICE, "cas", "k", text("v1"), PutOptions.DEFAULT));
    String second =
        result(cache.put(ALICE, "cas", "k", text("v2"), PutOptions.DEFAULT.withIfMatch(first)));
    assertThat(second).isNotEqualTo(first);

    Throwable stale = failure(cache.put(ALICE, "cas", "k", text("v3"), PutOptions.DEFAULT.withIfMatch(first)));
    assertThat(stale).isInstanceOf(CacheException.class);
    assertThat(((CacheException) stale).kind()).isEqualTo(CacheException.Kind.PRECONDITION_FAILED);
    assertThat(((CacheException) stale).currentEtag()).contains(second);
    assertThat(textOf(result(cache.get(ALICE, "cas", "k")).orElseThrow())).isEqualTo("v2");

    Throwable absent =
        failure(cache.put(ALICE, "cas", "nope", text("x"), PutOptions.DEFAULT.withIfMatch(first)));
    assertThat(((CacheException) absent).kind()).isEqualTo(CacheException.Kind.PRECONDITION_FAILED);
    assertThat(((CacheException) absent).currentEtag()).isEmpty();
    assertThat(result(cache.get(ALICE, "cas", "nope"))).isEmpty();
  }

  @Test
  void putIfAbsentStoresOnlyTheFirst() throws Exception {
    String etag = result(cache.put(ALICE, "absent", "k", text("first"), PutOptions.DEFAULT.withIfAbsent()));

    Throwable second =
        failure(cache.put(ALICE, "absent", "k", text("second"), PutOptions.DEFAULT.withIfAbsent()));
    assertThat(((CacheException) second).kind()).isEqualTo(CacheException.Kind.PRECONDITION_FAILED);
    assertThat(((CacheException) second).currentEtag()).contains(etag);
    assertThat(textOf(result(cache.get(ALICE, "absent", "k")).orElseThrow())).isEqualTo("first");
  }

  @Test
  void invalidatesATagAcrossBuckets() throws Exception {
    Set<Integer> redBuckets = new HashSet<>();
    for (int i = 0; i < 24; i++) {
      String key = "item-" + i;
      List<String> tags = i % 2 == 0 ? List.of("red", "all") : List.of("all");
      if (i % 2 == 0) {
        redBuckets.add(cache.settings().bucketOf(key));
      }
      result(cache.put(ALICE, "colours", key, text("v" + i), PutOptions.DEFAULT.withTags(tags)));
    }
    assertThat(redBuckets).as("the red keys span several buckets").hasSizeGreaterThan(1);
    result(cache.put(BOB, "colours", "item-0", text("bob's"), PutOptions.DEFAULT.withTags(List.of("red"))));

    assertThat(result(cache.invalidateTag(ALICE, "colours", "red"))).isEqualTo(12);

    for (int i = 0; i < 24; i++) {
      Optional<CacheEntry> entry = result(cache.get(ALICE, "colours", "item-" + i));
      assertThat(entry.isPresent()).as("item-%d present", i).isEqualTo(i % 2 == 1);
    }
    assertThat(result(cache.get(BOB, "colours", "item-0"))).as("other tenant untouched").isPresent();
    assertThat(result(cache.invalidateTag(ALICE, "colours", "red"))).isZero();
    assertThat(result(cache.invalidateTag(ALICE, "colours", "all"))).isEqualTo(12);
  }

  @Test
  void flushEmptiesTheNamespace() throws Exception {
    for (int i = 0; i < 10; i++) {
      result(cache.put(ALICE, "flushed", "k" + i, text("v"), PutOptions.DEFAULT));
    }
    result(cache.put(ALICE, "kept", "k0", text("v"), PutOptions.DEFAULT));

    assertThat(result(cache.flush(ALICE, "flushed"))).isEqualTo(10);

    assertThat(result(cache.get(ALICE, "flushed", "k3"))).isEmpty();
    assertThat(result(cache.stats(ALICE, "flushed")).entries()).isZero();
    assertThat(result(cache.get(ALICE, "kept", "k0"))).isPresent();
    assertThat(result(cache.flush(ALICE, "flushed"))).isZero();
  }

  @Test
  void statsSumTheBuckets() throws Exception {
    result(cache.put(ALICE, "counted", "a", CacheValue.of(new byte[1]), PutOptions.DEFAULT));
    result(cache.put(ALICE, "counted", "bb", CacheValue.of(new byte[2]), PutOptions.DEFAULT));
    result(cache.put(ALICE, "counted", "ccc", CacheValue.of(new byte[3]), PutOptions.DEFAULT));
    result(cache.get(ALICE, "counted", "a"));
    result(cache.get(ALICE, "counted", "ccc"));
    result(cache.get(ALICE, "counted", "missing"));

    // bytes count each entry's value, key, content type and bookkeeping (Entry.size()).
    long bytes =
        BucketReply.Entry.sizeOf("a", 1, "application/octet-stream", List.of())
            + BucketReply.Entry.sizeOf("bb", 2, "application/octet-stream", List.of())
            + BucketReply.Entry.sizeOf("ccc", 3, "application/octet-stream", List.of());
    assertThat(bytes).isEqualTo(6 + 6 + 3 * "application/octet-stream".length() + 3 * 64);
    assertThat(result(cache.stats(ALICE, "counted")))
        .isEqualTo(new CacheStats(3, bytes, 2, 1, 0, 0));
    assertThat(result(cache.stats(BOB, "counted"))).isEqualTo(CacheStats.EMPTY);
  }

  @Test
  void aFullBucketEvictsItsOldestEntry() throws Exception {
    // tiny: max-entries = buckets, so each bucket holds one entry.
    List<String> sameBucket = new ArrayList<>();
    for (int i = 0; sameBucket.size() < 2; i++) {
      if (cache.settings().bucketOf("key-" + i) == 0) {
        sameBucket.add("key-" + i);
      }
    }
    result(cache.put(ALICE, "tiny", sameBucket.get(0), text("old"), PutOptions.DEFAULT));
    result(cache.put(ALICE, "tiny", sameBucket.get(1), text("new"), PutOptions.DEFAULT));

    assertThat(result(cache.get(ALICE, "tiny", sameBucket.get(0)))).isEmpty();
    assertThat(result(cache.get(ALICE, "tiny", sameBucket.get(1)))).isPresent();
    assertThat(result(cache.stats(ALICE, "tiny")).evictions()).isEqualTo(1);
  }

  @Test
  void refusesBadInputWithFailedStages() throws Exception {
    PutOptions ok = PutOptions.DEFAULT;
    assertThat(kindOf(cache.get(ALICE, "Bad NS", "k"))).isEqualTo(CacheException.Kind.INVALID);
    assertThat(kindOf(cache.get(ALICE, "pages", ""))).isEqualTo(CacheException.Kind.INVALID);
    assertThat(kindOf(cache.get(ALICE, "pages", "k".repeat(257))))
        .isEqualTo(CacheException.Kind.KEY_TOO_LONG);
    assertThat(kindOf(cache.delete(ALICE, "pages", "é".repeat(129))))
        .isEqualTo(CacheException.Kind.KEY_TOO_LONG);
    assertThat(kindOf(cache.put(ALICE, "pages", "k", CacheValue.of(new byte[64 * 1024 + 1]), ok)))
        .isEqualTo(CacheException.Kind.TOO_LARGE);
    assertThat(kindOf(cache.put(ALICE, "short", "k", text("v"), PutOptions.ttl(Duration.ofMinutes(2)))))
        .isEqualTo(CacheException.Kind.INVALID);
    assertThat(kindOf(cache.put(ALICE, "pages", "k", text("v"), ok.withTags(List.of("no spaces")))))
        .isEqualTo(CacheException.Kind.INVALID);
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      tooMany.add("t" + i);
    }
    assertThat(kindOf(cache.put(ALICE, "pages", "k", text("v"), ok.withTags(tooMany))))
        .isEqualTo(CacheException.Kind.INVALID);
    assertThat(kindOf(cache.invalidateTag(ALICE, "pages", "bad/tag")))
        .isEqualTo(CacheException.Kind.INVALID);
    assertThat(kindOf(cache.flush(ALICE, "-bad"))).isEqualTo(CacheException.Kind.INVALID);
    assertThat(kindOf(cache.stats(ALICE, "UPPER"))).isEqualTo(CacheException.Kind.INVALID);
    assertThat(kindOf(cache.get(null, "pages", "k"))).isEqualTo(CacheException.Kind.INVALID);
    assertThat(
            kindOf(
                cache.getOrCompute(
                    ALICE,
                    "pages",
                    "k",
                    PutOptions.DEFAULT.withIfAbsent(),
                    () -> CompletableFuture.completedFuture(text("v")))))
        .isEqualTo(CacheException.Kind.INVALID);
    assertThat(kindOf(cache.getOrCompute(ALICE, "pages", "k", Duration.ofDays(31), () -> null)))
        .isEqualTo(CacheException.Kind.INVALID);

    // Nothing was stored by any of them.
    assertThat(result(cache.get(ALICE, "pages", "k"))).isEmpty();
    assertThat(result(cache.get(ALICE, "short", "k"))).isEmpty();
  }

  @Test
  void aNamespaceThatIsNotDurableWorksWithoutTheJournal() throws Exception {
    assertThat(cache.settings("mem").durable()).isFalse();
    String etag = result(cache.put(ALICE, "mem", "k", text("v1"), PutOptions.DEFAULT.withTags(List.of("t"))));
    assertThat(textOf(result(cache.get(ALICE, "mem", "k")).orElseThrow())).isEqualTo("v1");

    String next =
        result(
            cache.put(
                ALICE, "mem", "k", text("v2"),
                PutOptions.DEFAULT.withTags(List.of("t")).withIfMatch(etag)));
    assertThat(kindOf(cache.put(ALICE, "mem", "k", text("v3"), PutOptions.DEFAULT.withIfMatch(etag))))
        .isEqualTo(CacheException.Kind.PRECONDITION_FAILED);
    assertThat(result(cache.get(ALICE, "mem", "k")).orElseThrow().etag()).isEqualTo(next);
    result(cache.put(ALICE, "mem", "other", text("x"), PutOptions.DEFAULT));
    assertThat(result(cache.stats(ALICE, "mem")).entries()).isEqualTo(2);
    assertThat(result(cache.invalidateTag(ALICE, "mem", "t"))).isEqualTo(1);
    assertThat(result(cache.delete(ALICE, "mem", "other"))).isTrue();

    for (int n = 0; n < BUCKETS; n++) {
      assertThat(events("cache-bucket", "acme", "mem", n)).isEmpty();
      assertThat(events("cache-memory-bucket", "acme", "mem", n)).isEmpty();
    }
  }

  @Test
  void getOrComputeWithFiftyConcurrentCallersLoadsOnce() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<CacheValue> gate = new CompletableFuture<>();
    List<CompletableFuture<CacheEntry>> callers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      callers.add(
          cache
              .getOrCompute(
                  ALICE,
                  "computed",
                  "report",
                  Duration.ofMinutes(1),
                  () -> {
                    loads.incrementAndGet();
                    return gate;
                  })
              .toCompletableFuture());
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> loads.get() == 1);
    gate.complete(text("expensive"));

    Set<String> etags = new HashSet<>();
    for (CompletableFuture<CacheEntry> caller : callers) {
      CacheEntry entry = caller.get(30, TimeUnit.SECONDS);
      assertThat(textOf(entry)).isEqualTo("expensive");
      etags.add(entry.etag());
    }
    assertThat(loads.get()).isEqualTo(1);
    assertThat(etags).hasSize(1);
    CacheEntry stored = result(cache.get(ALICE, "computed", "report")).orElseThrow();
    assertThat(stored.etag()).isEqualTo(etags.iterator().next());
    assertThat(Duration.between(stored.storedAt(), stored.expiresAt())).isEqualTo(Duration.ofMinutes(1));

    // A later call is a hit: no load.
    CacheEntry hit =
        result(
            cache.getOrCompute(
                ALICE,
                "computed",
                "report",
                Duration.ofMinutes(1),
                () -> {
                  loads.incrementAndGet();
                  return CompletableFuture.completedFuture(text("again"));
                }));
    assertThat(textOf(hit)).isEqualTo("expensive");
    assertThat(loads.get()).isEqualTo(1);
  }

  @Test
  void getOrComputeReturnsWhatItStoredWithItsTags() throws Exception {
    CacheEntry entry =
        result(
            cache.getOrCompute(
                ALICE,
                "computed",
                "tagged",
                PutOptions.ttl(Duration.ofSeconds(90)).withTags(List.of("reports")),
                () -> CompletableFuture.completedFuture(new CacheValue(new byte[] {1, 2}, "application/x"))));

    CacheEntry stored = result(cache.get(ALICE, "computed", "tagged")).orElseThrow();
    assertThat(entry.etag()).isEqualTo(stored.etag());
    assertThat(entry.storedAt()).isEqualTo(stored.storedAt());
    assertThat(entry.expiresAt()).isEqualTo(stored.expiresAt());
    assertThat(entry.tags()).containsExactly("reports").isEqualTo(stored.tags());
    assertThat(entry.contentType()).isEqualTo("application/x");
    assertThat(result(cache.invalidateTag(ALICE, "computed", "reports"))).isEqualTo(1);
  }

  @Test
  void aFailedLoadIsNotCachedAndTheNextCallerLoadsAgain() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("backend down");

    Throwable failed =
        failure(
            cache.getOrCompute(
                ALICE,
                "computed",
                "flaky",
                Duration.ofMinutes(1),
                () -> {
                  loads.incrementAndGet();
                  return CompletableFuture.failedFuture(boom);
                }));
    assertThat(failed).isSameAs(boom);
    assertThat(result(cache.get(ALICE, "computed", "flaky"))).isEmpty();

    RuntimeException thrown = new RuntimeException("thrown, not returned");
    Throwable threw =
        failure(
            cache.getOrCompute(
                ALICE,
                "computed",
                "flaky",
                Duration.ofMinutes(1),
                () -> {
                  loads.incrementAndGet();
                  throw thrown;
                }));
    assertThat(threw).isSameAs(thrown);

    CacheEntry loaded =
        result(
            cache.getOrCompute(
                ALICE,
                "computed",
                "flaky",
                Duration.ofMinutes(1),
                () -> {
                  loads.incrementAndGet();
                  return CompletableFuture.completedFuture(text("recovered"));
                }));
    assertThat(textOf(loaded)).isEqualTo("recovered");
    assertThat(loads.get()).isEqualTo(3);
  }

  @Test
  void aWaiterTakesOverWhenTheLoadFails() throws Exception {
    // Its own namespace, so that its stats count only this test's calls.
    String ns = "handoff";
    CompletableFuture<CacheValue> firstGate = new CompletableFuture<>();
    AtomicInteger firstLoads = new AtomicInteger();
    AtomicInteger secondLoads = new AtomicInteger();
    CompletableFuture<CacheEntry> first =
        cache
            .getOrCompute(
                ALICE,
                ns,
                "handoff",
                Duration.ofMinutes(1),
                () -> {
                  firstLoads.incrementAndGet();
                  return firstGate;
                })
            .toCompletableFuture();
    await().atMost(10, TimeUnit.SECONDS).until(() -> firstLoads.get() == 1);
    CompletableFuture<CacheEntry> second =
        cache
            .getOrCompute(
                ALICE,
                ns,
                "handoff",
                Duration.ofMinutes(1),
                () -> {
                  secondLoads.incrementAndGet();
                  return CompletableFuture.completedFuture(text("second"));
                })
            .toCompletableFuture();
    // The second caller's Acquire was a miss too: it is parked behind the first's lease.
    await().atMost(10, TimeUnit.SECONDS).until(() -> result(cache.stats(ALICE, ns)).misses() == 2);
    assertThat(second).isNotDone();
    assertThat(secondLoads.get()).isZero();

    firstGate.completeExceptionally(new IllegalArgumentException("first failed"));

    assertThat(failure(first)).isInstanceOf(IllegalArgumentException.class);
    assertThat(textOf(second.get(30, TimeUnit.SECONDS))).isEqualTo("second");
    assertThat(secondLoads.get()).isEqualTo(1);
    assertThat(firstLoads.get()).isEqualTo(1);
    // Handed over, not granted afresh: still two misses, and the second's value is stored.
    assertThat(result(cache.stats(ALICE, ns)).misses()).isEqualTo(2);
    assertThat(textOf(result(cache.get(ALICE, ns, "handoff")).orElseThrow())).isEqualTo("second");
  }

  @Test
  void aLoadThatOutlivesItsLeaseGetsTheNewerValueAndDoesNotOverwriteIt() throws Exception {
    String ns = "late";
    CompletableFuture<CacheValue> slowGate = new CompletableFuture<>();
    AtomicInteger slowLoads = new AtomicInteger();
    CompletableFuture<CacheEntry> slow =
        cache
            .getOrCompute(
                ALICE,
                ns,
                "k",
                Duration.ofMinutes(1),
                () -> {
                  slowLoads.incrementAndGet();
                  return slowGate;
                })
            .toCompletableFuture();
    await().atMost(10, TimeUnit.SECONDS).until(() -> slowLoads.get() == 1);
    AtomicInteger quickLoads = new AtomicInteger();
    CompletableFuture<CacheEntry> quick =
        cache
            .getOrCompute(
                ALICE,
                ns,
                "k",
                Duration.ofMinutes(1),
                () -> {
                  quickLoads.incrementAndGet();
                  return CompletableFuture.completedFuture(text("fresh"));
                })
            .toCompletableFuture();
    // After lease-timeout (3 s here) the parked caller takes over and fills the key.
    CacheEntry fresh = quick.get(30, TimeUnit.SECONDS);
    assertThat(textOf(fresh)).isEqualTo("fresh");
    assertThat(slow).isNotDone();

    slowGate.complete(text("stale"));

    CacheEntry late = slow.get(30, TimeUnit.SECONDS);
    assertThat(textOf(late)).isEqualTo("fresh");
    assertThat(late.etag()).isEqualTo(fresh.etag());
    CacheEntry stored = result(cache.get(ALICE, ns, "k")).orElseThrow();
    assertThat(textOf(stored)).isEqualTo("fresh");
    assertThat(stored.etag()).isEqualTo(fresh.etag());
    assertThat(quickLoads.get()).isEqualTo(1);
  }

  @Test
  void aBlockingLoaderDoesNotHoldUpItsBucket() throws Exception {
    String ns = "blocking";
    String slowKey = "slow";
    int bucket = cache.settings().bucketOf(slowKey);
    String otherKey = null;
    for (int i = 0; otherKey == null; i++) {
      if (cache.settings().bucketOf("other-" + i) == bucket) {
        otherKey = "other-" + i;
      }
    }
    result(cache.put(ALICE, ns, otherKey, text("there"), PutOptions.DEFAULT));

    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> loaderThread = new CompletableFuture<>();
    CompletableFuture<CacheEntry> slow =
        cache
            .getOrCompute(
                ALICE,
                ns,
                slowKey,
                Duration.ofMinutes(1),
                () -> {
                  loaderThread.complete(Thread.currentThread().getName());
                  try {
                    // A badly behaved loader: blocks its thread until the test lets it go.
                    release.await(20, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return CompletableFuture.completedFuture(text("loaded"));
                })
            .toCompletableFuture();
    try {
      loaderThread.get(10, TimeUnit.SECONDS);
      // The loader is blocked now. Were it on the bucket's thread, the bucket could not answer.
      Optional<CacheEntry> other =
          cache.get(ALICE, ns, otherKey).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(other).map(CacheTest::textOf).contains("there");
      assertThat(slow).isNotDone();
    } finally {
      release.countDown();
    }
    assertThat(textOf(slow.get(30, TimeUnit.SECONDS))).isEqualTo("loaded");
  }

  @Test
  void aLoadedValueTooLargeIsRefusedAndNotStored() throws Exception {
    assertThat(
            kindOf(
                cache.getOrCompute(
                    ALICE,
                    "computed",
                    "huge",
                    Duration.ofMinutes(1),
                    () -> CompletableFuture.completedFuture(CacheValue.of(new byte[64 * 1024 + 1])))))
        .isEqualTo(CacheException.Kind.TOO_LARGE);
    assertThat(result(cache.get(ALICE, "computed", "huge"))).isEmpty();
    // The lease was given back: the next caller loads at once.
    assertThat(
            textOf(
                result(
                    cache.getOrCompute(
                        ALICE,
                        "computed",
                        "huge",
                        Duration.ofMinutes(1),
                        () -> CompletableFuture.completedFuture(text("small"))))))
        .isEqualTo("small");
  }

  @Test
  void theSweeperExpiresEntriesOfBucketsNobodyReads() throws Exception {
    String key = "short-lived";
    int bucket = cache.settings().bucketOf(key);
    String bucketId = "acme:swept~" + bucket;
    result(cache.put(ALICE, "swept", key, text("v"), PutOptions.ttl(Duration.ofMillis(500))));
    result(cache.put(ALICE, "swept-other", "long-lived", text("v"), PutOptions.ttl(Duration.ofHours(1))));

    // Never read again: only the sweeper can persist its expiry.
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                events("cache-bucket", "acme", "swept", bucket).stream()
                    .anyMatch(
                        e -> e instanceof BucketEvent.Expired expired && expired.keys().contains(key)));

    // Having nothing left to expire, the bucket is taken off the schedule.
    String schedulePid =
        "cache-schedule|" + CacheSchedule.entityId(CacheSchedule.workerOf(bucketId, 2));
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                journal.persistedInStorage(schedulePid).stream()
                    .anyMatch(
                        e -> e instanceof CacheSchedule.Unscheduled u && u.bucketEntityId().equals(bucketId)));
    CacheStats stats = result(cache.stats(ALICE, "swept"));
    assertThat(stats.entries()).isZero();
    assertThat(stats.expirations()).isEqualTo(1);
    assertThat(result(cache.get(ALICE, "swept-other", "long-lived"))).isPresent();
  }

  @Test
  void theScheduleAloneWakesABucketNobodyStarted() throws Exception {
    // As after a full restart: the bucket's events are in the journal, nothing runs it, and
    // only the (persisted) schedule knows it has an entry due.
    String bucketId = "acme:cold~0";
    Instant past = Instant.now().minusSeconds(60);
    journal.persistForRecovery(
        "cache-bucket|" + bucketId,
        List.of(
            new BucketEvent.Stored(
                new AuditRecord("alice", "acme", "req-0", "unit-node", past.minusSeconds(60)),
                "stale",
                new byte[] {1},
                "application/octet-stream",
                1,
                past.minusSeconds(60),
                past,
                List.of(),
                List.of(),
                List.of())));

    new ScheduleReporter(ClusterSharding.get(testKit.system()), 2)
        .report("cache-bucket", bucketId, Optional.of(past));

    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(
            () ->
                journal.persistedInStorage("cache-bucket|" + bucketId).stream()
                    .anyMatch(
                        e -> e instanceof BucketEvent.Expired expired && expired.keys().contains("stale")));
  }
}
