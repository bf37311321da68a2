package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The decision core shared by both bucket types: turns a state, a command and the time into the
 * events to apply and the reply. Pure apart from the audit function it is given; the durable
 * bucket persists the events, the memory bucket only applies them. Lease bookkeeping and hit
 * counting are not decided here (see {@link BucketRuntime}).
 *
 * <p>Expired entries stay in the state until an event removes them: a read, delete, invalidation
 * or flush that meets one removes it with {@link BucketEvent.Expired}, and a store that needs
 * room drops all of them before evicting live entries (oldest {@code storedAt} first).
 */
final class BucketDecider {

  /** The events to apply, in order, and the reply to send once they are applied. */
  record Decision<R>(List<BucketEvent> events, R reply) {

    Decision {
      events = List.copyOf(events);
    }

    static <R> Decision<R> of(R reply, BucketEvent... events) {
      return new Decision<>(List.of(events), reply);
    }
  }

  private final BucketLimits limits;
  private final Function<RequestContext, AuditRecord> audit;
  private final RequestContext expiryContext;
  private final RequestContext sweepContext;

  /**
   * @param limits the bucket's limits
   * @param audit turns a request context into the audit record of the events it causes
   * @param tenant the bucket's tenant, for the system context of expiry and sweeps
   */
  BucketDecider(BucketLimits limits, Function<RequestContext, AuditRecord> audit, String tenant) {
    this.limits = limits;
    this.audit = audit;
    this.expiryContext = new RequestContext("expiry", "system", tenant);
    this.sweepContext = new RequestContext("sweep", "system", tenant);
  }

  /** A read: the live entry, or null (an expired one is removed). */
  Decision<BucketReply.Got> get(BucketState state, String key, Instant now) {
    Entry entry = state.entries().get(key);
    if (entry == null) {
      return Decision.of(new BucketReply.Got(null));
    }
    if (BucketState.expired(entry, now)) {
      return Decision.of(new BucketReply.Got(null), expired(expiryContext, List.of(key)));
    }
    return Decision.of(new BucketReply.Got(entry));
  }

  /** A put: checks ifMatch / ifAbsent against the live entry, then stores. */
  Decision<BucketReply.PutReply> put(BucketState state, BucketCommand.Put cmd, Instant now) {
    Optional<Entry> current = state.live(cmd.key(), now);
    boolean matchFails =
        cmd.ifMatch() != null && !current.map(e -> e.etag().equals(cmd.ifMatch())).orElse(false);
    if (matchFails || (cmd.ifAbsent() && current.isPresent())) {
      return Decision.of(new BucketReply.PreconditionFailed(current.map(Entry::etag).orElse(null)));
    }
    return store(
        state, cmd.context(), cmd.key(), cmd.value(), cmd.contentType(), cmd.ttl(), cmd.tags(), now);
  }

  /** A lease holder's value: stored like a put without preconditions. */
  Decision<BucketReply.PutReply> fill(BucketState state, BucketCommand.Fill cmd, Instant now) {
    return store(
        state, cmd.context(), cmd.key(), cmd.value(), cmd.contentType(), cmd.ttl(), cmd.tags(), now);
  }

  /** A delete: whether a live entry was there (an expired one is removed as expired). */
  Decision<BucketReply.Deleted> delete(BucketState state, BucketCommand.Delete cmd, Instant now) {
    Entry entry = state.entries().get(cmd.key());
    if (entry == null) {
      return Decision.of(new BucketReply.Deleted(false));
    }
    if (BucketState.expired(entry, now)) {
      return Decision.of(new BucketReply.Deleted(false), expired(expiryContext, List.of(cmd.key())));
    }
    return Decision.of(
        new BucketReply.Deleted(true), new BucketEvent.Deleted(audit.apply(cmd.context()), cmd.key()));
  }

  /** Removes the entries carrying the tag; counts the live ones. */
  Decision<BucketReply.Count> invalidate(
      BucketState state, BucketCommand.InvalidateTag cmd, Instant now) {
    List<String> live = new ArrayList<>();
    List<String> dead = new ArrayList<>();
    for (Entry entry : state.entries().values()) {
      if (entry.tags().contains(cmd.tag())) {
        (BucketState.expired(entry, now) ? dead : live).add(entry.key());
      }
    }
    List<BucketEvent> events = new ArrayList<>();
    if (!dead.isEmpty()) {
      events.add(expired(expiryContext, dead));
    }
    if (!live.isEmpty()) {
      events.add(new BucketEvent.Invalidated(audit.apply(cmd.context()), cmd.tag(), live));
    }
    return new Decision<>(events, new BucketReply.Count(live.size()));
  }

  /** Removes every entry; counts the live ones. */
  Decision<BucketReply.Count> flush(BucketState state, BucketCommand.Flush cmd, Instant now) {
    List<String> dead = dueKeys(state, now);
    int live = state.entries().size() - dead.size();
    List<BucketEvent> events = new ArrayList<>();
    if (!dead.isEmpty()) {
      events.add(expired(expiryContext, dead));
    }
    if (live > 0) {
      events.add(new BucketEvent.Flushed(audit.apply(cmd.context()), live));
    }
    return new Decision<>(events, new BucketReply.Count(live));
  }

  /** Removes every entry whose time has passed. */
  Decision<Void> sweep(BucketState state, Instant now) {
    List<String> dead = dueKeys(state, now);
    return dead.isEmpty() ? Decision.of(null) : Decision.of(null, expired(sweepContext, dead));
  }

  /** The bucket's figures: live entries and their bytes, the counters of the state. */
  static BucketReply.Stats stats(BucketState state, Instant now, long hits, long misses) {
    long entries = 0;
    long bytes = 0;
    for (Entry entry : state.entries().values()) {
      if (!BucketState.expired(entry, now)) {
        entries++;
        bytes += entry.size();
      }
    }
    return new BucketReply.Stats(
        entries, bytes, hits, misses, state.evictions(), state.expirations());
  }

  private Decision<BucketReply.PutReply> store(
      BucketState state,
      RequestContext context,
      String key,
      byte[] value,
      String contentType,
      Duration ttl,
      List<String> tags,
      Instant now) {
    long revision = state.revision() + 1;
    Instant expiresAt = now.plus(ttl);
    Room room = makeRoom(state, key, Entry.sizeOf(key, value.length, contentType, tags), now);
    BucketEvent.Stored stored =
        new BucketEvent.Stored(
            audit.apply(context), key, value, contentType, revision, now, expiresAt, tags,
            room.evicted(), room.expired());
    return Decision.of(new BucketReply.Stored(stored.entry().etag(), expiresAt), stored);
  }

  /**
   * The keys to drop so that an entry counting {@code size} bytes under {@code key} fits; {@code
   * expired} includes {@code key} itself when it held an expired entry.
   */
  private record Room(List<String> evicted, List<String> expired) {}

  private Room makeRoom(BucketState state, String key, long size, Instant now) {
    List<String> expired = new ArrayList<>();
    Entry replaced = state.entries().get(key);
    if (replaced != null && BucketState.expired(replaced, now)) {
      // Overwriting an expired entry expires it (audited and counted as such).
      expired.add(key);
    }
    long bytes = state.bytes() - (replaced == null ? 0 : replaced.size());
    if (fits(state.entries().size() - (replaced == null ? 0 : 1), bytes, size)) {
      return new Room(List.of(), expired);
    }
    List<Entry> others = new ArrayList<>();
    for (Map.Entry<String, Entry> e : state.entries().entrySet()) {
      if (!e.getKey().equals(key)) {
        others.add(e.getValue());
      }
    }
    List<Entry> live = new ArrayList<>();
    for (Entry entry : others) {
      if (BucketState.expired(entry, now)) {
        expired.add(entry.key());
        bytes -= entry.size();
      } else {
        live.add(entry);
      }
    }
    live.sort(Comparator.comparing(Entry::storedAt).thenComparingLong(Entry::revision));
    List<String> evicted = new ArrayList<>();
    int count = live.size();
    // A value larger than the bucket's byte limit is still stored, alone.
    for (int i = 0; i < live.size() && !fits(count, bytes, size); i++) {
      evicted.add(live.get(i).key());
      bytes -= live.get(i).size();
      count--;
    }
    return new Room(evicted, expired);
  }

  private boolean fits(int otherEntries, long otherBytes, long size) {
    return otherEntries + 1 <= limits.maxEntries() && otherBytes + size <= limits.maxBytes();
  }

  private BucketEvent.Expired expired(RequestContext context, List<String> keys) {
    return new BucketEvent.Expired(audit.apply(context), keys);
  }

  private static List<String> dueKeys(BucketState state, Instant now) {
    List<String> due = new ArrayList<>();
    for (Entry entry : state.entries().values()) {
      if (BucketState.expired(entry, now)) {
        due.add(entry.key());
      }
    }
    return due;
  }
}
