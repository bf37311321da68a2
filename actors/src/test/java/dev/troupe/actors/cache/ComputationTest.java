package dev.troupe.actors.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.cache.bucket.BucketCommand;
import dev.troupe.actors.cache.bucket.BucketReply;
import dev.troupe.persistence.audit.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.testkit.javadsl.TestEntityRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One getOrCompute call against a bucket played by a probe: what it asks, what it does with each
 * answer, and where the loader runs.
 */
class ComputationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final RequestContext ALICE = new RequestContext("req-1", "alice", "acme");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(1);

  private final TestProbe<BucketCommand> bucket = testKit.createTestProbe(BucketCommand.class);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private CompletableFuture<CacheEntry> compute(Supplier<CompletionStage<CacheValue>> loader) {
    Duration maxWait = Duration.ofSeconds(10);
    return new Computation(
            ALICE,
            TestEntityRef.of(
                EntityTypeKey.create(BucketCommand.class, "cache-bucket"), "acme:ns~0", bucket.ref()),
            "k",
            TTL,
            List.of("t"),
            loader,
            maxWait,
            System.nanoTime() + maxWait.multipliedBy(3).toNanos(),
            1024,
            Duration.ofSeconds(10),
            testKit.system().executionContext())
        .acquire()
        .toCompletableFuture();
  }

  private static CacheValue text(String s) {
    return new CacheValue(s.getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  private static BucketReply.Entry entry(String value) {
    return new BucketReply.Entry(
        "k", value.getBytes(StandardCharsets.UTF_8), "text/plain", 7, T0, T0.plus(TTL), List.of("t"));
  }

  private BucketCommand.Acquire expectAcquire() {
    BucketCommand.Acquire acquire = bucket.expectMessageClass(BucketCommand.Acquire.class);
    assertThat(acquire.key()).isEqualTo("k");
    assertThat(acquire.maxWait()).isEqualTo(Duration.ofSeconds(10));
    return acquire;
  }

  @Test
  void aFoundEntryNeedsNoLoad() throws Exception {
    CompletableFuture<CacheEntry> result =
        compute(() -> CompletableFuture.failedFuture(new AssertionError("no load expected")));
    expectAcquire().replyTo().tell(new BucketReply.Found(entry("cached")));

    CacheEntry got = result.get(10, TimeUnit.SECONDS);
    assertThat(got.value()).asString(StandardCharsets.UTF_8).isEqualTo("cached");
    assertThat(got.etag()).isEqualTo(entry("cached").etag());
    bucket.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void aGrantedLoadIsFilledUnderItsLease() throws Exception {
    CompletableFuture<CacheEntry> result =
        compute(() -> CompletableFuture.completedFuture(text("mine")));
    expectAcquire().replyTo().tell(new BucketReply.Granted("lease-1"));

    BucketCommand.Fill fill = bucket.expectMessageClass(BucketCommand.Fill.class);
    assertThat(fill.leaseId()).isEqualTo("lease-1");
    assertThat(new String(fill.value(), StandardCharsets.UTF_8)).isEqualTo("mine");
    fill.replyTo().tell(new BucketReply.Stored("etag-1", T0.plus(TTL)));

    CacheEntry got = result.get(10, TimeUnit.SECONDS);
    assertThat(got.etag()).isEqualTo("etag-1");
    assertThat(got.value()).asString(StandardCharsets.UTF_8).isEqualTo("mine");
    assertThat(got.storedAt()).isEqualTo(T0);
  }

  @Test
  void aSupersededFillAnswersTheLiveEntryInsteadOfTheLoadedValue() throws Exception {
    CompletableFuture<CacheEntry> result =
        compute(() -> CompletableFuture.completedFuture(text("stale")));
    expectAcquire().replyTo().tell(new BucketReply.Granted("lease-1"));
    BucketCommand.Fill fill = bucket.expectMessageClass(BucketCommand.Fill.class);
    fill.replyTo().tell(new BucketReply.Superseded(entry("fresh")));

    CacheEntry got = result.get(10, TimeUnit.SECONDS);
    assertThat(got.value()).asString(StandardCharsets.UTF_8).isEqualTo("fresh");
    assertThat(got.etag()).isEqualTo(entry("fresh").etag());
    assertThat(got.expiresAt()).isEqualTo(T0.plus(TTL));
  }

  @Test
  void anUnexpectedFillReplyFailsTheStage() {
    CompletableFuture<CacheEntry> result =
        compute(() -> CompletableFuture.completedFuture(text("v")));
    expectAcquire().replyTo().tell(new BucketReply.Granted("lease-1"));
    bucket
        .expectMessageClass(BucketCommand.Fill.class)
        .replyTo()
        .tell(new BucketReply.PreconditionFailed(null));

    assertThat(result)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .withRootCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFailedLoadAbandonsTheLeaseAndFailsWithTheLoadersError() {
    IllegalArgumentException boom = new IllegalArgumentException("backend down");
    CompletableFuture<CacheEntry> result = compute(() -> CompletableFuture.failedFuture(boom));
    expectAcquire().replyTo().tell(new BucketReply.Granted("lease-1"));

    assertThat(bucket.expectMessageClass(BucketCommand.Abandon.class))
        .isEqualTo(new BucketCommand.Abandon("k", "lease-1"));
    assertThat(result)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isSameAs(boom);
  }

  @Test
  void theLoaderDoesNotRunOnTheThreadThatAnsweredTheAcquire() throws Exception {
    // A bucket answers from its own thread while it handles the Acquire; the answer completes
    // the ask on that thread. Here the test thread plays the bucket.
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Thread> loaderThread = new CompletableFuture<>();
    CompletableFuture<CacheEntry> result =
        compute(
            () -> {
              loaderThread.complete(Thread.currentThread());
              try {
                // A badly behaved loader that blocks its thread.
                release.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return CompletableFuture.completedFuture(text("v"));
            });
    BucketCommand.Acquire acquire = expectAcquire();
    try {
      acquire.replyTo().tell(new BucketReply.Granted("lease-1"));
      // Had the loader run inline, tell would have returned only after the latch timed out.
      assertThat(release.getCount()).isEqualTo(1);
      assertThat(loaderThread.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
      assertThat(result).isNotDone();
    } finally {
      release.countDown();
    }
    bucket
        .expectMessageClass(BucketCommand.Fill.class)
        .replyTo()
        .tell(new BucketReply.Stored("etag-1", T0.plus(TTL)));
    assertThat(result.get(10, TimeUnit.SECONDS).etag()).isEqualTo("etag-1");
  }

  @Test
  void theAcquireAskWaitsWellBeyondTheBucketsParkingLimit() {
    // The bucket's limit starts when it handles the Acquire, maybe seconds after the ask began.
    assertThat(Computation.ACQUIRE_ASK_MARGIN).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
  }
}
