package dev.troupe.actors.cache.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.actors.cache.bucket.BucketDecider.Decision;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.audit.RequestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure decision core and state fold, without actors. */
class BucketDeciderTest {

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private static final RequestContext ANN = new RequestContext("req-1", "ann", "acme");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final BucketDecider decider = decider(new BucketLimits(3, 1 << 20));

  private static BucketDecider decider(BucketLimits limits) {
    return new BucketDecider(
        limits,
        ctx -> new AuditRecord(ctx.principal(), ctx.tenant(), ctx.requestId(), "node-a", T0),
        "acme");
  }

  private static BucketCommand.Put put(String key, String value, Duration ttl, String... tags) {
    return new BucketCommand.Put(
        ANN, key, bytes(value), "text/plain", ttl, List.of(tags), null, false, null);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** Applies a decision's events. */
  private static BucketState apply(BucketState state, Decision<?> decision) {
    BucketState next = state;
    for (BucketEvent event : decision.events()) {
      next = next.apply(event);
    }
    return next;
  }

  private BucketState stored(BucketState state, BucketCommand.Put put, Instant now) {
    return apply(state, decider.put(state, put, now));
  }

  @Test
  void storeCountsRevisionsAndTheEtagNamesTimeAndRevision() {
    var first = decider.put(BucketState.EMPTY, put("a", "one", MINUTE, "t"), T0);
    BucketState state = apply(BucketState.EMPTY, first);

    BucketEvent.Stored event = (BucketEvent.Stored) first.events().get(0);
    assertThat(event.revision()).isEqualTo(1);
    assertThat(event.expiresAt()).isEqualTo(T0.plus(MINUTE));
    assertThat(event.audit().principal()).isEqualTo("ann");
    var reply = (BucketReply.Stored) first.reply();
    assertThat(reply.etag())
        .isEqualTo(Long.toString(T0.toEpochMilli(), 36) + ".1")
        .isEqualTo(state.entries().get("a").etag());
    assertThat(state.revision()).isEqualTo(1);
    // value, key, content type, tag, bookkeeping
    assertThat(state.bytes()).isEqualTo(3 + 1 + 10 + 1 + BucketReply.Entry.OVERHEAD);

    BucketState again = stored(state, put("a", "two", MINUTE), T0);
    assertThat(again.revision()).isEqualTo(2);
    assertThat(again.entries()).hasSize(1);
    assertThat(again.entries().get("a").etag()).isNotEqualTo(reply.etag());
  }

  @Test
  void preconditionsCompareWithTheLiveEntryOnly() {
    BucketState state = stored(BucketState.EMPTY, put("a", "one", MINUTE), T0);
    String etag = state.entries().get("a").etag();
    var cas = new BucketCommand.Put(
        ANN, "a", bytes("x"), "text/plain", MINUTE, List.of(), etag, false, null);

    assertThat(decider.put(state, cas, T0).reply()).isInstanceOf(BucketReply.Stored.class);
    var wrong = new BucketCommand.Put(
        ANN, "a", bytes("x"), "text/plain", MINUTE, List.of(), "nope", false, null);
    var refused = decider.put(state, wrong, T0);
    assertThat(refused.events()).isEmpty();
    assertThat(refused.reply()).isEqualTo(new BucketReply.PreconditionFailed(etag));
    // Once expired, the entry is absent for preconditions: If-Match fails, If-None-Match passes.
    Instant later = T0.plus(MINUTE);
    assertThat(decider.put(state, cas, later).reply())
        .isEqualTo(new BucketReply.PreconditionFailed(null));
    var ifAbsent = new BucketCommand.Put(
        ANN, "a", bytes("x"), "text/plain", MINUTE, List.of(), null, true, null);
    assertThat(decider.put(state, ifAbsent, T0).reply())
        .isEqualTo(new BucketReply.PreconditionFailed(etag));
    assertThat(decider.put(state, ifAbsent, later).reply()).isInstanceOf(BucketReply.Stored.class);
  }

  @Test
  void anEntryExpiresExactlyAtItsExpiryAndAReadRemovesIt() {
    BucketState state = stored(BucketState.EMPTY, put("a", "one", MINUTE), T0);

    assertThat(decider.get(state, "a", T0.plus(MINUTE).minusMillis(1)).reply().entry()).isNotNull();
    var expired = decider.get(state, "a", T0.plus(MINUTE));
    assertThat(expired.reply().entry()).isNull();
    BucketEvent.Expired event = (BucketEvent.Expired) expired.events().get(0);
    assertThat(event.keys()).containsExactly("a");
    assertThat(event.audit().principal()).isEqualTo("system");
    assertThat(event.audit().requestId()).isEqualTo("expiry");
    BucketState after = apply(state, expired);
    assertThat(after.entries()).isEmpty();
    assertThat(after.expirations()).isEqualTo(1);
    assertThat(decider.get(after, "a", T0).events()).isEmpty();
  }

  @Test
  void evictsExpiredEntriesFirstThenTheOldestWritten() {
    BucketState state = stored(BucketState.EMPTY, put("old", "1", MINUTE), T0);
    state = stored(state, put("short", "2", Duration.ofSeconds(5)), T0.plusSeconds(1));
    state = stored(state, put("new", "3", MINUTE), T0.plusSeconds(2));
    Instant now = T0.plusSeconds(10);

    var fourth = decider.put(state, put("d", "4", MINUTE), now);
    BucketEvent.Stored event = (BucketEvent.Stored) fourth.events().get(0);
    assertThat(event.expired()).containsExactly("short");
    assertThat(event.evicted()).isEmpty();
    state = apply(state, fourth);
    assertThat(state.entries()).containsOnlyKeys("old", "new", "d");

    var fifth = decider.put(state, put("e", "5", MINUTE), now);
    assertThat(((BucketEvent.Stored) fifth.events().get(0)).evicted()).containsExactly("old");
    state = apply(state, fifth);
    assertThat(state.entries()).containsOnlyKeys("new", "d", "e");
    assertThat(state.evictions()).isEqualTo(1);
    assertThat(state.expirations()).isEqualTo(1);
  }

  @Test
  void replacingAKeyNeedsNoRoomAndBytesEvictUntilTheValueFits() {
    // Each entry below counts 64 + 1 (key) + 10 (text/plain) + its value's bytes.
    BucketDecider small = decider(new BucketLimits(10, 160));
    BucketState state = apply(BucketState.EMPTY, small.put(BucketState.EMPTY, put("a", "aaaa", MINUTE), T0));
    state = apply(state, small.put(state, put("b", "bbbb", MINUTE), T0.plusSeconds(1)));

    var replace = small.put(state, put("b", "bbbbbb", MINUTE), T0.plusSeconds(2));
    assertThat(((BucketEvent.Stored) replace.events().get(0)).evicted()).isEmpty();
    assertThat(apply(state, replace).bytes()).isEqualTo(160);

    var third = small.put(state, put("c", "ccccc", MINUTE), T0.plusSeconds(2));
    assertThat(((BucketEvent.Stored) third.events().get(0)).evicted()).containsExactly("a");

    // Larger than the whole bucket: everything else goes, the value is kept alone.
    var huge = small.put(state, put("h", "h".repeat(200), MINUTE), T0.plusSeconds(2));
    assertThat(((BucketEvent.Stored) huge.events().get(0)).evicted()).containsExactly("a", "b");
    assertThat(apply(state, huge).entries()).containsOnlyKeys("h");
  }

  @Test
  void overwritingAnExpiredEntryCountsAndAuditsItsExpiry() {
    BucketState state = stored(BucketState.EMPTY, put("a", "1", Duration.ofSeconds(5)), T0);

    var live = decider.put(state, put("a", "2", MINUTE), T0.plusSeconds(4));
    assertThat(((BucketEvent.Stored) live.events().get(0)).expired()).isEmpty();
    assertThat(apply(state, live).expirations()).isZero();

    var overwrite = decider.put(state, put("a", "3", MINUTE), T0.plusSeconds(5));
    BucketEvent.Stored event = (BucketEvent.Stored) overwrite.events().get(0);
    assertThat(event.expired()).containsExactly("a");
    assertThat(event.evicted()).isEmpty();
    BucketState after = apply(state, overwrite);
    assertThat(after.expirations()).isEqualTo(1);
    assertThat(after.entries().get("a").value()).isEqualTo(bytes("3"));
    assertThat(BucketDecider.stats(after, T0.plusSeconds(5), 0, 0).entries()).isEqualTo(1);

    // A fill overwrites the same way.
    var fill =
        decider.fill(
            state,
            new BucketCommand.Fill(
                ANN, "a", "lease", bytes("4"), "text/plain", MINUTE, List.of(), null),
            T0.plusSeconds(6));
    assertThat(((BucketEvent.Stored) fill.events().get(0)).expired()).containsExactly("a");
  }

  @Test
  void anEntryCountsItsKeyMetadataAndBookkeepingBytes() {
    var entry =
        new BucketReply.Entry("k\u00fc", new byte[10], "text/plain", 1, T0, T0, List.of("ab", "\u20ac"));
    // 10 value + 3 key ("k", 2-byte u-umlaut) + 10 content type + 2 + 3 (euro sign) tags + 64
    assertThat(entry.size()).isEqualTo(10 + 3 + 10 + 5 + 64);
    var surrogate = new BucketReply.Entry("\uD83D\uDE00", new byte[0], null, 1, T0, T0, List.of());
    assertThat(surrogate.size()).isEqualTo(4 + 64);
    // The audit view still shows the value's own size.
    assertThat(((BucketViews.StateView) BucketViews.state(
            new BucketState(Map.of("k\u00fc", entry), 1, 0, 0)))
        .entries().get("k\u00fc").size())
        .isEqualTo(10);
  }

  @Test
  void aFullBucketsEntriesStayWithinItsByteLimitCountingMetadata() {
    BucketDecider small = decider(new BucketLimits(100, 1000));
    BucketState state = BucketState.EMPTY;
    String longTag = "t".repeat(64);
    for (int i = 0; i < 20; i++) {
      var cmd =
          new BucketCommand.Put(
              ANN, "key-" + i, bytes("v"), "text/plain", MINUTE, List.of(longTag, longTag + "x"),
              null, false, null);
      state = apply(state, small.put(state, cmd, T0.plusSeconds(i)));
      assertThat(state.bytes()).isLessThanOrEqualTo(1000);
    }
    // Value bytes alone (1 each) would have let all 20 stay.
    assertThat(state.entries().size()).isLessThan(20);
    assertThat(state.evictions()).isEqualTo(20 - state.entries().size());
  }

  @Test
  void deleteInvalidateAndFlushCountLiveEntriesAndExpireDeadOnes() {
    BucketState state = stored(BucketState.EMPTY, put("a", "1", MINUTE, "t", "u"), T0);
    state = stored(state, put("b", "2", Duration.ofSeconds(5), "t"), T0);
    state = stored(state, put("c", "3", MINUTE, "u"), T0);
    Instant now = T0.plusSeconds(10);

    var missing = decider.delete(state, new BucketCommand.Delete(ANN, "zz", null), now);
    assertThat(missing.reply().existed()).isFalse();
    assertThat(missing.events()).isEmpty();
    var dead = decider.delete(state, new BucketCommand.Delete(ANN, "b", null), now);
    assertThat(dead.reply().existed()).isFalse();
    assertThat(dead.events()).singleElement().isInstanceOf(BucketEvent.Expired.class);
    var live = decider.delete(state, new BucketCommand.Delete(ANN, "a", null), now);
    assertThat(live.reply().existed()).isTrue();
    assertThat(apply(state, live).entries()).containsOnlyKeys("b", "c");

    var byTag = decider.invalidate(state, new BucketCommand.InvalidateTag(ANN, "t", null), now);
    assertThat(byTag.reply().count()).isEqualTo(1);
    assertThat(byTag.events())
        .containsExactly(
            new BucketEvent.Expired(audit("system", "expiry"), List.of("b")),
            new BucketEvent.Invalidated(audit("ann", "req-1"), "t", List.of("a")));
    assertThat(apply(state, byTag).entries()).containsOnlyKeys("c");
    var none = decider.invalidate(state, new BucketCommand.InvalidateTag(ANN, "zz", null), now);
    assertThat(none.reply().count()).isZero();
    assertThat(none.events()).isEmpty();

    var flush = decider.flush(state, new BucketCommand.Flush(ANN, null), now);
    assertThat(flush.reply().count()).isEqualTo(2);
    BucketState flushed = apply(state, flush);
    assertThat(flushed.entries()).isEmpty();
    assertThat(flushed.expirations()).isEqualTo(1);
    assertThat(flushed.revision()).isEqualTo(3);
    assertThat(decider.flush(flushed, new BucketCommand.Flush(ANN, null), now).events()).isEmpty();
  }

  @Test
  void sweepExpiresEveryDueEntryAndStatsCountOnlyLiveOnes() {
    BucketState state = stored(BucketState.EMPTY, put("a", "1", Duration.ofSeconds(5)), T0);
    state = stored(state, put("b", "22", Duration.ofSeconds(6)), T0);
    state = stored(state, put("c", "333", MINUTE), T0);
    Instant now = T0.plusSeconds(6);

    assertThat(BucketDecider.stats(state, now, 4, 2))
        .isEqualTo(new BucketReply.Stats(1, 3 + 1 + 10 + BucketReply.Entry.OVERHEAD, 4, 2, 0, 0));
    var sweep = decider.sweep(state, now);
    BucketEvent.Expired event = (BucketEvent.Expired) sweep.events().get(0);
    assertThat(event.keys()).containsExactly("a", "b");
    assertThat(event.audit().requestId()).isEqualTo("sweep");
    BucketState swept = apply(state, sweep);
    assertThat(swept.earliestExpiry()).contains(T0.plus(MINUTE));
    assertThat(decider.sweep(swept, now).events()).isEmpty();
    assertThat(BucketState.EMPTY.earliestExpiry()).isEqualTo(Optional.empty());
  }

  @Test
  void auditShowsTheSizeButNeverTheValue() {
    var stored = (BucketEvent.Stored)
        decider.put(BucketState.EMPTY, put("a", "secret-value", MINUTE, "t"), T0).events().get(0);
    AuditRenderer renderer = new AuditRenderer();

    var event = renderer.event(CacheBucket.MODEL, 1, stored);
    assertThat(event.payload().has("value")).isFalse();
    assertThat(event.payload().get("size").asLong()).isEqualTo(12);
    assertThat(event.payload().get("key").asText()).isEqualTo("a");
    var state = renderer.state(CacheBucket.MODEL, BucketState.EMPTY.apply(stored));
    assertThat(state.toString()).doesNotContain("secret").contains("\"size\":12");
    assertThat(stored.toString()).doesNotContain("secret");
  }

  @Test
  void bucketIdsAndLimits() {
    assertThat(BucketIds.localId("users", 7)).isEqualTo("users~7");
    assertThat(BucketIds.namespaceOf("acme:users~7")).isEqualTo("users");
    assertThat(BucketIds.namespaceOf("users~0")).isEqualTo("users");
    assertThatThrownBy(() -> BucketIds.namespaceOf("acme:users"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BucketIds.localId("users", -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(BucketLimits.perBucket(100_000, 256L << 20, 64))
        .isEqualTo(new BucketLimits(1563, 4L << 20));
    assertThatThrownBy(() -> new BucketLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static AuditRecord audit(String principal, String requestId) {
    return new AuditRecord(principal, "acme", requestId, "node-a", T0);
  }
}
