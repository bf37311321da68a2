package dev.troupe.actors.cache.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.audit.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The durable bucket: every command and refusal, expiry, eviction, recovery, leases, reports. */
class CacheBucketTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  """
                  troupe.node-name = unit-node
                  pekko.actor.provider = local
                  troupe.entities.types.cache-bucket.snapshot-every = 4
                  """)
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration LONG_WAIT = Duration.ofMinutes(5);
  /** Reports are refreshed after this long (the sweep interval). */
  private static final Duration REFRESH = Duration.ofMinutes(10);
  private static final RequestContext ANN = new RequestContext("req-1", "ann", "acme");

  /** One reporter call. */
  record Report(String type, String id, Optional<Instant> earliest) {}

  private final TestClock clock = new TestClock(T0);
  private final TestProbe<Report> reports = testKit.createTestProbe();
  private final String entityId = "acme:things~" + IDS.incrementAndGet();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final LocalBuckets local = new LocalBuckets();

  private EventSourcedBehaviorTestKit<BucketCommand, BucketEvent, BucketState> bucket(
      BucketLimits limits, Duration leaseTimeout) {
    BucketEnv env =
        new BucketEnv(
            ns -> {
              assertThat(ns).isEqualTo("things");
              return limits;
            },
            (type, id, earliest) -> reports.ref().tell(new Report(type, id, earliest)),
            clock,
            leaseTimeout,
            REFRESH,
            local);
    return EventSourcedBehaviorTestKit.create(testKit.system(), CacheBucket.create(env, entityId));
  }

  private EventSourcedBehaviorTestKit<BucketCommand, BucketEvent, BucketState> bucket() {
    return bucket(new BucketLimits(100, 1 << 20), Duration.ofSeconds(10));
  }

  private static String text(byte[] value) {
    return new String(value, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<
          BucketCommand, BucketEvent, BucketState, BucketReply.PutReply>
      put(
          EventSourcedBehaviorTestKit<BucketCommand, BucketEvent, BucketState> kit,
          String key,
          String value,
          Duration ttl,
          String ifMatch,
          boolean ifAbsent,
          String... tags) {
    return kit.runCommand(
        replyTo ->
            new BucketCommand.Put(
                ANN, key, bytes(value), "text/plain", ttl, List.of(tags), ifMatch, ifAbsent,
                replyTo));
  }

  private static String etag(
      EventSourcedBehaviorTestKit<BucketCommand, BucketEvent, BucketState> kit,
      String key,
      String value,
      Duration ttl,
      String... tags) {
    return ((BucketReply.Stored) put(kit, key, value, ttl, null, false, tags).reply()).etag();
  }

  private static BucketReply.Entry get(
      EventSourcedBehaviorTestKit<BucketCommand, BucketEvent, BucketState> kit, String key) {
    return kit.<BucketReply.Got>runCommand(replyTo -> new BucketCommand.Get(key, replyTo))
        .reply()
        .entry();
  }

  private static BucketReply.Stats stats(
      EventSourcedBehaviorTestKit<BucketCommand, BucketEvent, BucketState> kit) {
    return kit.<BucketReply.Stats>runCommand(BucketCommand.GetStats::new).reply();
  }

  @Test
  void putThenGetAnswersTheValueAndCountsHitsAndMisses() {
    var kit = bucket();
    var stored = put(kit, "k", "hello", MINUTE, null, false, "t");

    BucketEvent.Stored event = stored.eventOfType(BucketEvent.Stored.class);
    assertThat(event.audit().principal()).isEqualTo("ann");
    assertThat(event.audit().node()).isEqualTo("unit-node");
    var reply = (BucketReply.Stored) stored.reply();
    assertThat(reply.expiresAt()).isEqualTo(T0.plus(MINUTE));

    BucketReply.Entry entry = get(kit, "k");
    assertThat(entry.value()).isEqualTo(bytes("hello"));
    assertThat(entry.contentType()).isEqualTo("text/plain");
    assertThat(entry.etag()).isEqualTo(reply.etag());
    assertThat(entry.tags()).containsExactly("t");
    assertThat(get(kit, "other")).isNull();
    // bytes: value, key, content type, tag and bookkeeping
    assertThat(stats(kit))
        .isEqualTo(new BucketReply.Stats(1, 5 + 1 + 10 + 1 + BucketReply.Entry.OVERHEAD, 1, 1, 0, 0));
  }

  @Test
  void compareAndSetAndPutIfAbsentRefuseWith412() {
    var kit = bucket();
    String first = etag(kit, "k", "v1", MINUTE);

    var cas = put(kit, "k", "v2", MINUTE, first, false);
    assertThat(cas.reply()).isInstanceOf(BucketReply.Stored.class);
    String second = ((BucketReply.Stored) cas.reply()).etag();
    assertThat(second).isNotEqualTo(first);

    var stale = put(kit, "k", "v3", MINUTE, first, false);
    assertThat(stale.reply()).isEqualTo(new BucketReply.PreconditionFailed(second));
    assertThat(stale.hasNoEvents()).isTrue();
    var absent = put(kit, "missing", "v", MINUTE, first, false);
    assertThat(absent.reply()).isEqualTo(new BucketReply.PreconditionFailed(null));

    var present = put(kit, "k", "v4", MINUTE, null, true);
    assertThat(present.reply()).isEqualTo(new BucketReply.PreconditionFailed(second));
    assertThat(get(kit, "k").value()).isEqualTo(bytes("v2"));
    assertThat(put(kit, "fresh", "v", MINUTE, null, true).reply())
        .isInstanceOf(BucketReply.Stored.class);
  }

  @Test
  void deleteSaysWhetherTheKeyExisted() {
    var kit = bucket();
    etag(kit, "k", "v", MINUTE);

    var deleted = kit.<BucketReply.Deleted>runCommand(r -> new BucketCommand.Delete(ANN, "k", r));
    assertThat(deleted.reply().existed()).isTrue();
    assertThat(deleted.eventOfType(BucketEvent.Deleted.class).key()).isEqualTo("k");
    var again = kit.<BucketReply.Deleted>runCommand(r -> new BucketCommand.Delete(ANN, "k", r));
    assertThat(again.reply().existed()).isFalse();
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(get(kit, "k")).isNull();
  }

  @Test
  void tagInvalidationAndFlushCountWhatTheyRemove() {
    var kit = bucket();
    etag(kit, "a", "1", MINUTE, "red", "blue");
    etag(kit, "b", "2", MINUTE, "red");
    etag(kit, "c", "3", MINUTE, "blue");

    var red = kit.<BucketReply.Count>runCommand(r -> new BucketCommand.InvalidateTag(ANN, "red", r));
    assertThat(red.reply().count()).isEqualTo(2);
    assertThat(red.eventOfType(BucketEvent.Invalidated.class).keys()).containsExactly("a", "b");
    assertThat(red.state().entries()).containsOnlyKeys("c");
    var none = kit.<BucketReply.Count>runCommand(r -> new BucketCommand.InvalidateTag(ANN, "red", r));
    assertThat(none.reply().count()).isZero();
    assertThat(none.hasNoEvents()).isTrue();

    etag(kit, "d", "4", MINUTE);
    var flush = kit.<BucketReply.Count>runCommand(r -> new BucketCommand.Flush(ANN, r));
    assertThat(flush.reply().count()).isEqualTo(2);
    assertThat(flush.eventOfType(BucketEvent.Flushed.class).count()).isEqualTo(2);
    assertThat(flush.state().entries()).isEmpty();
    assertThat(kit.<BucketReply.Count>runCommand(r -> new BucketCommand.Flush(ANN, r)).reply().count())
        .isZero();
  }

  @Test
  void aReadOfAnExpiredEntryAnswersAbsentAndPersistsTheExpiry() {
    var kit = bucket();
    etag(kit, "k", "v", MINUTE);
    clock.advance(MINUTE);

    var read = kit.<BucketReply.Got>runCommand(r -> new BucketCommand.Get("k", r));
    assertThat(read.reply().entry()).isNull();
    BucketEvent.Expired expired = read.eventOfType(BucketEvent.Expired.class);
    assertThat(expired.keys()).containsExactly("k");
    assertThat(expired.audit().principal()).isEqualTo("system");
    assertThat(expired.audit().tenant()).isEqualTo("acme");
    assertThat(read.state().entries()).isEmpty();
    assertThat(stats(kit)).isEqualTo(new BucketReply.Stats(0, 0, 0, 1, 0, 1));
  }

  @Test
  void sweepExpiresDueEntriesAndReportsTheNextExpiry() {
    var kit = bucket();
    etag(kit, "soon", "v", Duration.ofSeconds(5));
    assertThat(reports.receiveMessage().earliest()).contains(T0.plusSeconds(5));
    etag(kit, "later", "v", MINUTE);
    reports.expectNoMessage(Duration.ofMillis(50)); // a later expiry is not reported
    clock.advance(Duration.ofSeconds(10));

    var sweep = kit.runCommand(new BucketCommand.Sweep());
    BucketEvent.Expired expired = sweep.eventOfType(BucketEvent.Expired.class);
    assertThat(expired.keys()).containsExactly("soon");
    assertThat(expired.audit().requestId()).isEqualTo("sweep");
    assertThat(sweep.state().entries()).containsOnlyKeys("later");
    assertThat(reports.receiveMessage())
        .isEqualTo(new Report(CacheBucket.TYPE, entityId, Optional.of(T0.plus(MINUTE))));

    clock.advance(MINUTE);
    assertThat(kit.runCommand(new BucketCommand.Sweep()).state().entries()).isEmpty();
    assertThat(reports.receiveMessage().earliest()).isEmpty();
    // An empty bucket's sweep persists nothing and still reports.
    assertThat(kit.runCommand(new BucketCommand.Sweep()).hasNoEvents()).isTrue();
    assertThat(reports.receiveMessage().earliest()).isEmpty();
  }

  @Test
  void aStoreThatExpiresEarlierIsReported() {
    var kit = bucket();
    etag(kit, "a", "v", MINUTE);
    assertThat(reports.receiveMessage().earliest()).contains(T0.plus(MINUTE));
    etag(kit, "b", "v", Duration.ofSeconds(30));
    assertThat(reports.receiveMessage().earliest()).contains(T0.plusSeconds(30));
  }

  @Test
  void evictsByEntriesExpiredFirstThenOldestWritten() {
    var kit = bucket(new BucketLimits(2, 1 << 20), Duration.ofSeconds(10));
    etag(kit, "a", "1", MINUTE);
    clock.advance(Duration.ofSeconds(1));
    etag(kit, "b", "2", Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(5)); // b expired

    var c = put(kit, "c", "3", MINUTE, null, false).eventOfType(BucketEvent.Stored.class);
    assertThat(c.expired()).containsExactly("b");
    assertThat(c.evicted()).isEmpty();
    var d = put(kit, "d", "4", MINUTE, null, false);
    assertThat(d.eventOfType(BucketEvent.Stored.class).evicted()).containsExactly("a");
    assertThat(d.state().entries()).containsOnlyKeys("c", "d");
    BucketReply.Stats stats = stats(kit);
    assertThat(stats.evictions()).isEqualTo(1);
    assertThat(stats.expirations()).isEqualTo(1);
  }

  @Test
  void evictsByBytes() {
    // Each entry counts 64 + 1 (key) + 10 (text/plain) + its value's bytes: room for two of these.
    var kit = bucket(new BucketLimits(100, 160), Duration.ofSeconds(10));
    etag(kit, "a", "aaaa", MINUTE);
    clock.advance(Duration.ofSeconds(1));
    etag(kit, "b", "bbbb", MINUTE);

    var c = put(kit, "c", "ccccc", MINUTE, null, false);
    assertThat(c.eventOfType(BucketEvent.Stored.class).evicted()).containsExactly("a");
    assertThat(c.state().bytes()).isEqualTo(79 + 80);
    assertThat(get(kit, "a")).isNull();
    assertThat(get(kit, "b")).isNotNull();
  }

  @Test
  void recoveryKeepsEntriesRevisionAndCountersAndReportsTheEarliestExpiry() {
    var kit = bucket(new BucketLimits(2, 1 << 20), Duration.ofSeconds(10));
    etag(kit, "a", "1", MINUTE);
    etag(kit, "b", "2", Duration.ofSeconds(30));
    etag(kit, "c", "3", MINUTE); // evicts a
    reports.receiveMessage();
    reports.receiveMessage();
    BucketState before = kit.getState();

    var restarted = kit.restart();
    assertThat(restarted.state()).isEqualTo(before);
    assertThat(restarted.state().revision()).isEqualTo(3);
    assertThat(restarted.state().evictions()).isEqualTo(1);
    assertThat(reports.receiveMessage().earliest()).contains(T0.plusSeconds(30));
    var next = put(kit, "d", "4", MINUTE, null, false).eventOfType(BucketEvent.Stored.class);
    assertThat(next.revision()).isEqualTo(4);
  }

  @Test
  void recoversFromASnapshot() {
    var kit = bucket();
    String pid = "cache-bucket|" + entityId;
    for (int i = 0; i < 4; i++) {
      etag(kit, "k" + i, "v" + i, MINUTE);
    }
    var snapshots = kit.snapshotTestKit().orElseThrow();
    BucketState snapshot = snapshots.expectNextPersistedClass(pid, BucketState.class);
    assertThat(snapshot.entries()).hasSize(4);

    // With the journal gone, only the snapshot can bring the entries back.
    kit.persistenceTestKit().clearByPersistenceId(pid);
    var restarted = kit.restart();
    assertThat(restarted.state().entries()).containsOnlyKeys("k0", "k1", "k2", "k3");
    assertThat(restarted.state().revision()).isEqualTo(4);
  }

  @Test
  void theFirstAcquirerLoadsWaitersParkAndAllGetTheFilledEntry() {
    var kit = bucket();
    var granted =
        kit.<BucketReply.AcquireReply>runCommand(r -> new BucketCommand.Acquire("k", LONG_WAIT, r));
    assertThat(granted.reply()).isInstanceOf(BucketReply.Granted.class);
    String lease = ((BucketReply.Granted) granted.reply()).leaseId();
    TestProbe<BucketReply.AcquireReply> w1 = testKit.createTestProbe();
    TestProbe<BucketReply.AcquireReply> w2 = testKit.createTestProbe();
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, w1.ref()));
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, w2.ref()));
    w1.expectNoMessage(Duration.ofMillis(50));

    var fill =
        kit.<BucketReply.PutReply>runCommand(
            r -> new BucketCommand.Fill(ANN, "k", lease, bytes("loaded"), "text/plain", MINUTE,
                List.of("t"), r));
    assertThat(fill.reply()).isInstanceOf(BucketReply.Stored.class);
    String etag = ((BucketReply.Stored) fill.reply()).etag();
    for (TestProbe<BucketReply.AcquireReply> waiter : List.of(w1, w2)) {
      var found = waiter.expectMessageClass(BucketReply.Found.class);
      assertThat(found.entry().value()).isEqualTo(bytes("loaded"));
      assertThat(found.entry().etag()).isEqualTo(etag);
    }
    var hit =
        kit.<BucketReply.AcquireReply>runCommand(r -> new BucketCommand.Acquire("k", LONG_WAIT, r));
    assertThat(hit.reply()).isInstanceOf(BucketReply.Found.class);
    assertThat(stats(kit).hits()).isEqualTo(1);
  }

  @Test
  void anAbandonedLeasePassesToTheNextWaiterAndAStaleOneIsIgnored() {
    var kit = bucket();
    String lease = acquireGranted(kit);
    TestProbe<BucketReply.AcquireReply> w1 = testKit.createTestProbe();
    TestProbe<BucketReply.AcquireReply> w2 = testKit.createTestProbe();
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, w1.ref()));
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, w2.ref()));

    kit.runCommand(new BucketCommand.Abandon("k", "not-the-lease"));
    w1.expectNoMessage(Duration.ofMillis(50));
    kit.runCommand(new BucketCommand.Abandon("k", lease));
    String next = w1.expectMessageClass(BucketReply.Granted.class).leaseId();
    assertThat(next).isNotEqualTo(lease);
    w2.expectNoMessage(Duration.ofMillis(50));

    kit.runCommand(new BucketCommand.Abandon("k", next));
    String last = w2.expectMessageClass(BucketReply.Granted.class).leaseId();
    kit.runCommand(new BucketCommand.Abandon("k", last));
    // Nobody waits any more: the next caller is granted at once.
    assertThat(acquireGranted(kit)).isNotIn(lease, next, last);
  }

  @Test
  void aPutOfAKeyBeingLoadedAnswersTheWaitersAndSupersedesTheLoad() {
    var kit = bucket();
    String lease = acquireGranted(kit);
    TestProbe<BucketReply.AcquireReply> waiter = testKit.createTestProbe();
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, waiter.ref()));
    String etag = etag(kit, "k", "put meanwhile", MINUTE);
    assertThat(waiter.expectMessageClass(BucketReply.Found.class).entry().etag()).isEqualTo(etag);

    var late = fill(kit, lease, "stale load");
    assertThat(late.hasNoEvents()).isTrue();
    var superseded = (BucketReply.Superseded) late.reply();
    assertThat(superseded.entry().etag()).isEqualTo(etag);
    assertThat(get(kit, "k").value()).isEqualTo(bytes("put meanwhile"));
    // The lease ended with the put: an abandon of it changes nothing, a new caller finds the entry.
    kit.runCommand(new BucketCommand.Abandon("k", lease));
    assertThat(
            kit.<BucketReply.AcquireReply>runCommand(
                    r -> new BucketCommand.Acquire("k", LONG_WAIT, r))
                .reply())
        .isInstanceOf(BucketReply.Found.class);
  }

  @Test
  void aLateFillAfterTheLeasePassedOnDoesNotOverwriteTheNewerFill() {
    var kit = bucket();
    String first = acquireGranted(kit);
    TestProbe<BucketReply.AcquireReply> waiter = testKit.createTestProbe();
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, waiter.ref()));
    // What the lease timer sends when the holder takes too long.
    kit.runCommand(new BucketCommand.Abandon("k", first));
    String second = waiter.expectMessageClass(BucketReply.Granted.class).leaseId();
    assertThat(fill(kit, second, "fresh").reply()).isInstanceOf(BucketReply.Stored.class);

    var late = fill(kit, first, "stale");
    assertThat(late.hasNoEvents()).isTrue();
    assertThat(((BucketReply.Superseded) late.reply()).entry().value()).isEqualTo(bytes("fresh"));
    assertThat(get(kit, "k").value()).isEqualTo(bytes("fresh"));
  }

  @Test
  void aDeleteOrFlushRevokesTheLoadInFlightAndPassesTheLeaseOn() {
    var kit = bucket();
    String first = acquireGranted(kit);
    TestProbe<BucketReply.AcquireReply> w1 = testKit.createTestProbe();
    TestProbe<BucketReply.AcquireReply> w2 = testKit.createTestProbe();
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, w1.ref()));
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, w2.ref()));

    var deleted = kit.<BucketReply.Deleted>runCommand(r -> new BucketCommand.Delete(ANN, "k", r));
    assertThat(deleted.reply().existed()).isFalse();
    String second = w1.expectMessageClass(BucketReply.Granted.class).leaseId();
    assertThat(second).isNotEqualTo(first);
    w2.expectNoMessage(Duration.ofMillis(50));

    kit.<BucketReply.Count>runCommand(r -> new BucketCommand.Flush(ANN, r));
    String third = w2.expectMessageClass(BucketReply.Granted.class).leaseId();
    assertThat(third).isNotIn(first, second);

    // The last holder's load is the one stored; the revoked ones' are superseded.
    assertThat(fill(kit, third, "after flush").reply()).isInstanceOf(BucketReply.Stored.class);
    assertThat(fill(kit, second, "after delete").reply()).isInstanceOf(BucketReply.Superseded.class);
    assertThat(fill(kit, first, "before").reply()).isInstanceOf(BucketReply.Superseded.class);
    assertThat(get(kit, "k").value()).isEqualTo(bytes("after flush"));
  }

  @Test
  void aDeleteOfAKeyNobodyWaitsForEndsItsLease() {
    var kit = bucket();
    String first = acquireGranted(kit);
    kit.<BucketReply.Deleted>runCommand(r -> new BucketCommand.Delete(ANN, "k", r));
    // A caller after the delete must not wait for a load that started before it.
    assertThat(acquireGranted(kit)).isNotEqualTo(first);
  }

  @Test
  void aRunningBucketPublishesOnlyPersistedStateForLocalReadsAndWithdrawsItWhenStopped() {
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    BucketEnv env =
        new BucketEnv(
            ns -> new BucketLimits(100, 1 << 20),
            (type, id, earliest) -> {},
            clock,
            LONG_WAIT,
            REFRESH,
            local);
    ActorRef<BucketCommand> bucket = testKit.spawn(CacheBucket.create(env, entityId));
    TestProbe<BucketReply.PutReply> stored = testKit.createTestProbe();
    bucket.tell(
        new BucketCommand.Put(ANN, "k", bytes("v1"), "text/plain", MINUTE, List.of(), null, false, stored.ref()));
    stored.expectMessageClass(BucketReply.Stored.class);
    // Published before the reply: a read on this node right after the ack sees the write.
    assertThat(local.liveEntry(entityId, "k", clock.instant()).map(e -> text(e.value()))).contains("v1");
    assertThat(local.liveEntry(entityId, "absent", clock.instant())).isEmpty();

    // A write the journal refuses is never published.
    journal.failNextPersisted();
    bucket.tell(
        new BucketCommand.Put(ANN, "k", bytes("v2"), "text/plain", MINUTE, List.of(), null, false, stored.ref()));
    stored.expectNoMessage(Duration.ofMillis(200));
    assertThat(local.liveEntry(entityId, "k", clock.instant()).map(e -> text(e.value()))).contains("v1");

    // Expired entries are not answered locally (the bucket records the expiry on a read).
    clock.advance(MINUTE.plusSeconds(1));
    assertThat(local.liveEntry(entityId, "k", clock.instant())).isEmpty();

    // Local hits count in the bucket's stats.
    TestProbe<BucketReply.Stats> stats = testKit.createTestProbe();
    bucket.tell(new BucketCommand.GetStats(stats.ref()));
    assertThat(stats.receiveMessage(Duration.ofSeconds(10)).hits()).isEqualTo(2);

    testKit.stop(bucket);
    assertThat(local.liveEntry(entityId, "k", T0)).isEmpty();
    assertThat(local.size()).isZero();
  }

  @Test
  void aRestartAfterAJournalFailureForgetsTheLeases() {
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    BucketEnv env =
        new BucketEnv(
            ns -> new BucketLimits(100, 1 << 20),
            (type, id, earliest) -> reports.ref().tell(new Report(type, id, earliest)),
            clock,
            LONG_WAIT,
            REFRESH,
            local);
    ActorRef<BucketCommand> bucket = testKit.spawn(CacheBucket.create(env, entityId));
    TestProbe<BucketReply.AcquireReply> holder = testKit.createTestProbe();
    bucket.tell(new BucketCommand.Acquire("k", LONG_WAIT, holder.ref()));
    String lease = holder.expectMessageClass(BucketReply.Granted.class).leaseId();

    journal.failNextPersisted();
    TestProbe<BucketReply.PutReply> failed = testKit.createTestProbe();
    bucket.tell(
        new BucketCommand.Put(
            ANN, "other", bytes("v"), "text/plain", MINUTE, List.of(), null, false, failed.ref()));

    // Restarted (with backoff) and recovered: the old lease, whose timer is gone, no longer
    // blocks the key, so the next caller loads instead of waiting for ever.
    TestProbe<BucketReply.AcquireReply> next = testKit.createTestProbe();
    bucket.tell(new BucketCommand.Acquire("k", LONG_WAIT, next.ref()));
    String nextLease =
        next.expectMessageClass(BucketReply.Granted.class, Duration.ofSeconds(10)).leaseId();
    assertThat(nextLease).isNotEqualTo(lease);
    failed.expectNoMessage(Duration.ofMillis(50));
    testKit.stop(bucket);
  }

  @Test
  void aChangedEarliestExpiryIsReportedAndAnOldReportRefreshed() {
    var kit = bucket();
    etag(kit, "a", "v", HOUR);
    assertThat(reports.receiveMessage().earliest()).contains(T0.plus(HOUR));
    etag(kit, "b", "v", HOUR.multipliedBy(5));
    reports.expectNoMessage(Duration.ofMillis(50)); // unchanged

    // Rewriting the earliest entry with a longer ttl makes the earliest later: reported too.
    etag(kit, "a", "v", HOUR.multipliedBy(8));
    assertThat(reports.receiveMessage().earliest()).contains(T0.plus(HOUR.multipliedBy(5)));

    // Reports are fire-and-forget: once the last one is older than the refresh period, the next
    // command (here a read) reports again although nothing changed.
    clock.advance(REFRESH.minusSeconds(1));
    get(kit, "b");
    reports.expectNoMessage(Duration.ofMillis(50));
    clock.advance(Duration.ofSeconds(1));
    get(kit, "nothing");
    assertThat(reports.receiveMessage())
        .isEqualTo(
            new Report(CacheBucket.TYPE, entityId, Optional.of(T0.plus(HOUR.multipliedBy(5)))));
    get(kit, "nothing");
    reports.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aWaiterWhoseAskTimedOutIsSkipped() {
    var kit = bucket();
    String lease = acquireGranted(kit);
    TestProbe<BucketReply.AcquireReply> gone = testKit.createTestProbe();
    TestProbe<BucketReply.AcquireReply> waiting = testKit.createTestProbe();
    kit.runCommand(new BucketCommand.Acquire("k", Duration.ofSeconds(1), gone.ref()));
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, waiting.ref()));
    clock.advance(Duration.ofSeconds(2));

    kit.runCommand(new BucketCommand.Abandon("k", lease));
    waiting.expectMessageClass(BucketReply.Granted.class);
    gone.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aLeaseNotFilledInTimePassesToTheNextWaiter() {
    var kit = bucket(new BucketLimits(100, 1 << 20), Duration.ofMillis(300));
    String lease = acquireGranted(kit);
    TestProbe<BucketReply.AcquireReply> waiter = testKit.createTestProbe();
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, waiter.ref()));

    String next = waiter.expectMessageClass(BucketReply.Granted.class, Duration.ofSeconds(5)).leaseId();
    assertThat(next).isNotEqualTo(lease);
    // The late holder's value is still stored, and ends the new lease's wait for others.
    TestProbe<BucketReply.AcquireReply> third = testKit.createTestProbe();
    kit.runCommand(new BucketCommand.Acquire("k", LONG_WAIT, third.ref()));
    kit.<BucketReply.PutReply>runCommand(
        r -> new BucketCommand.Fill(ANN, "k", lease, bytes("late"), "text/plain", MINUTE, List.of(), r));
    assertThat(third.expectMessageClass(BucketReply.Found.class).entry().value())
        .isEqualTo(bytes("late"));
  }

  private static EventSourcedBehaviorTestKit.CommandResultWithReply<
          BucketCommand, BucketEvent, BucketState, BucketReply.PutReply>
      fill(
          EventSourcedBehaviorTestKit<BucketCommand, BucketEvent, BucketState> kit,
          String lease,
          String value) {
    return kit.runCommand(
        r -> new BucketCommand.Fill(ANN, "k", lease, bytes(value), "text/plain", MINUTE, List.of(), r));
  }

  private String acquireGranted(
      EventSourcedBehaviorTestKit<BucketCommand, BucketEvent, BucketState> kit) {
    var reply =
        kit.<BucketReply.AcquireReply>runCommand(r -> new BucketCommand.Acquire("k", LONG_WAIT, r))
            .reply();
    assertThat(reply).isInstanceOf(BucketReply.Granted.class);
    return ((BucketReply.Granted) reply).leaseId();
  }
}
