package dev.troupe.actors.cache.bucket;

import dev.troupe.actors.cache.bucket.BucketReply.Entry;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityIds;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;

/**
 * One running bucket's handling of its commands, shared by the durable and the memory bucket:
 * asks the {@link BucketDecider} for the events and reply, and keeps what is never persisted —
 * hit and miss counters, load leases ({@link BucketLeases}) and the expiry last reported.
 *
 * <p>The behaviour applies (or persists) the outcome's events, then runs its {@code after} with
 * the new state and sends its reply.
 *
 * <p>Leases and stores: a put of a key being loaded gives the parked callers the stored entry
 * and ends the lease; a delete, an invalidation or a flush revokes the key's load (the lease
 * passes on as on Abandon). A fill whose lease is no longer the key's current one does not
 * overwrite a live entry: it answers {@link BucketReply.Superseded} with that entry.
 *
 * <p>Expiry reports: after recovery (when not empty), after every sweep, and after a store
 * that changes the earliest expiry from the one last reported. Reports are fire-and-forget, so
 * whenever the last one is older than {@link BucketEnv#reportRefresh()} any command reports
 * the current earliest expiry again: a lost report is repaired while the bucket is in use.
 */
final class BucketRuntime {

  /** A reply to send once the events are applied. */
  record Reply<R>(ActorRef<R> to, R message) {}

  /**
   * What a command leads to.
   *
   * @param events to apply (or persist), in order
   * @param reply to send afterwards, or null (no reply, or the caller is parked)
   * @param after side effects once the events are applied (reports, parked callers' answers)
   */
  record Outcome(List<BucketEvent> events, Reply<?> reply, Consumer<BucketState> after) {}

  private static final Consumer<BucketState> NOTHING = state -> {};

  private final String bucketType;
  private final String entityId;
  private final BucketEnv env;
  private final Clock clock;
  private final BucketDecider decider;
  private final BucketLeases leases;
  private final Logger log;
  private final LocalBuckets.View view = new LocalBuckets.View();
  private boolean published;
  private Optional<Instant> lastReported = Optional.empty();
  private Instant lastReportAt;

  BucketRuntime(
      String bucketType,
      String entityId,
      BucketEnv env,
      Function<RequestContext, AuditRecord> audit,
      TimerScheduler<? super BucketCommand> timers,
      Logger log) {
    this.bucketType = bucketType;
    this.entityId = entityId;
    this.env = env;
    this.clock = env.clock();
    this.decider =
        new BucketDecider(
            env.limitsForNamespace().apply(BucketIds.namespaceOf(entityId)),
            audit,
            EntityIds.tenantOf(entityId));
    this.leases = new BucketLeases(timers, env.leaseTimeout());
    this.log = log;
  }

  /** Decides a command against the current state. */
  Outcome handle(BucketState state, BucketCommand command) {
    Instant now = clock.instant();
    Outcome outcome = decide(state, command, now);
    Consumer<BucketState> after = outcome.after();
    boolean sweep = command instanceof BucketCommand.Sweep;
    return new Outcome(
        outcome.events(),
        outcome.reply(),
        next -> {
          if (!outcome.events().isEmpty()) {
            publish(next);
          }
          after.accept(next);
          if (!sweep) {
            refresh(next);
          }
        });
  }

  /** Once the bucket stops: its state is no longer read on this node. */
  void stopped() {
    env.local().remove(entityId, view);
    published = false;
  }

  private void publish(BucketState state) {
    if (published) {
      env.local().publish(entityId, view, state);
    }
  }

  private Outcome decide(BucketState state, BucketCommand command, Instant now) {
    if (command instanceof BucketCommand.Get c) {
      var d = decider.get(state, c.key(), now);
      count(d.reply().entry() != null);
      return new Outcome(d.events(), new Reply<>(c.replyTo(), d.reply()), NOTHING);
    } else if (command instanceof BucketCommand.Put c) {
      return put(state, c, now);
    } else if (command instanceof BucketCommand.Delete c) {
      var d = decider.delete(state, c, now);
      return new Outcome(
          d.events(), new Reply<>(c.replyTo(), d.reply()), handOn(revoke(List.of(c.key()), now)));
    } else if (command instanceof BucketCommand.InvalidateTag c) {
      var d = decider.invalidate(state, c, now);
      return new Outcome(
          d.events(), new Reply<>(c.replyTo(), d.reply()), handOn(revoke(removed(d.events()), now)));
    } else if (command instanceof BucketCommand.Flush c) {
      var d = decider.flush(state, c, now);
      return new Outcome(
          d.events(), new Reply<>(c.replyTo(), d.reply()), handOn(revoke(leases.keys(), now)));
    } else if (command instanceof BucketCommand.GetStats c) {
      return new Outcome(
          List.of(), new Reply<>(c.replyTo(), BucketDecider.stats(state, now, view.hits.sum(), view.misses.sum())), NOTHING);
    } else if (command instanceof BucketCommand.Acquire c) {
      return acquire(state, c, now);
    } else if (command instanceof BucketCommand.Fill c) {
      return fill(state, c, now);
    } else if (command instanceof BucketCommand.Abandon c) {
      return abandon(state, c, now);
    } else if (command instanceof BucketCommand.Sweep) {
      return new Outcome(decider.sweep(state, now).events(), null, this::afterSweep);
    }
    throw new IllegalArgumentException("unknown command " + command.getClass());
  }

  /**
   * Call once the state is recovered (or loaded), also after a restart of the same bucket: forgets
   * the leases of before (their timers are gone) and reports the earliest expiry if any.
   */
  void recovered(BucketState state) {
    published = true;
    env.local().publish(entityId, view, state);
    leases.clear();
    lastReported = Optional.empty();
    lastReportAt = null;
    if (!state.entries().isEmpty()) {
      report(state.earliestExpiry());
    }
  }

  /** Keys with a load lease (tests). */
  int leases() {
    return leases.size();
  }

  private Outcome acquire(BucketState state, BucketCommand.Acquire c, Instant now) {
    var d = decider.get(state, c.key(), now);
    Entry entry = d.reply().entry();
    count(entry != null);
    if (entry != null) {
      return new Outcome(d.events(), new Reply<>(c.replyTo(), new BucketReply.Found(entry)), NOTHING);
    }
    Optional<String> granted = leases.acquire(c.key(), c.replyTo(), now.plus(c.maxWait()));
    Reply<?> reply =
        granted.map(id -> new Reply<>(c.replyTo(), new BucketReply.Granted(id))).orElse(null);
    return new Outcome(d.events(), reply, NOTHING);
  }

  private Outcome put(BucketState state, BucketCommand.Put c, Instant now) {
    var d = decider.put(state, c, now);
    if (!(d.reply() instanceof BucketReply.Stored)) {
      return new Outcome(d.events(), new Reply<>(c.replyTo(), d.reply()), NOTHING);
    }
    // A put of a key being loaded answers its parked callers; the holder's fill is superseded.
    Entry entry = ((BucketEvent.Stored) d.events().get(0)).entry();
    List<ActorRef<BucketReply.AcquireReply>> waiting = leases.fill(c.key(), now);
    return new Outcome(
        d.events(),
        new Reply<>(c.replyTo(), d.reply()),
        after -> {
          waiting.forEach(w -> w.tell(new BucketReply.Found(entry)));
          afterStore(after);
        });
  }

  private Outcome fill(BucketState state, BucketCommand.Fill c, Instant now) {
    Optional<Entry> live = state.live(c.key(), now);
    if (live.isPresent() && !leases.holds(c.key(), c.leaseId())) {
      // A late or revoked load: newer data was stored meanwhile.
      return new Outcome(
          List.of(), new Reply<>(c.replyTo(), new BucketReply.Superseded(live.get())), NOTHING);
    }
    var d = decider.fill(state, c, now);
    Entry entry = ((BucketEvent.Stored) d.events().get(0)).entry();
    List<ActorRef<BucketReply.AcquireReply>> waiting = leases.fill(c.key(), now);
    return new Outcome(
        d.events(),
        new Reply<>(c.replyTo(), d.reply()),
        after -> {
          waiting.forEach(w -> w.tell(new BucketReply.Found(entry)));
          afterStore(after);
        });
  }

  private Outcome abandon(BucketState state, BucketCommand.Abandon c, Instant now) {
    Optional<Entry> live = state.live(c.key(), now);
    if (live.isPresent() && leases.holds(c.key(), c.leaseId())) {
      // Filled meanwhile (by an earlier holder): the waiters need no load.
      List<ActorRef<BucketReply.AcquireReply>> waiting = leases.fill(c.key(), now);
      return new Outcome(
          List.of(), null, s -> waiting.forEach(w -> w.tell(new BucketReply.Found(live.get()))));
    }
    Optional<BucketLeases.Handover> next = leases.release(c.key(), c.leaseId(), now);
    return new Outcome(
        List.of(),
        null,
        s -> next.ifPresent(h -> h.replyTo().tell(new BucketReply.Granted(h.leaseId()))));
  }

  /** Revokes the loads of these keys; the hand-overs to tell. */
  private List<BucketLeases.Handover> revoke(Collection<String> keys, Instant now) {
    List<BucketLeases.Handover> handovers = new ArrayList<>();
    for (String key : keys) {
      leases.revoke(key, now).ifPresent(handovers::add);
    }
    return handovers;
  }

  private static Consumer<BucketState> handOn(List<BucketLeases.Handover> handovers) {
    return handovers.isEmpty()
        ? NOTHING
        : state -> handovers.forEach(h -> h.replyTo().tell(new BucketReply.Granted(h.leaseId())));
  }

  /** The keys that invalidation events remove. */
  private static List<String> removed(List<BucketEvent> events) {
    List<String> keys = new ArrayList<>();
    for (BucketEvent event : events) {
      if (event instanceof BucketEvent.Invalidated i) {
        keys.addAll(i.keys());
      } else if (event instanceof BucketEvent.Expired e) {
        keys.addAll(e.keys());
      }
    }
    return keys;
  }

  private void count(boolean hit) {
    if (hit) {
      view.hits.increment();
    } else {
      view.misses.increment();
    }
  }

  private void afterStore(BucketState state) {
    Optional<Instant> earliest = state.earliestExpiry();
    if (!earliest.equals(lastReported)) {
      report(earliest);
    }
  }

  /** Reports again when the last report is old (it may have been lost) or failed. */
  private void refresh(BucketState state) {
    boolean due =
        lastReportAt == null || !clock.instant().isBefore(lastReportAt.plus(env.reportRefresh()));
    if (due && (!state.entries().isEmpty() || lastReported.isPresent())) {
      report(state.earliestExpiry());
    }
  }

  private void afterSweep(BucketState state) {
    report(state.earliestExpiry());
  }

  private void report(Optional<Instant> earliest) {
    try {
      env.reporter().report(bucketType, entityId, earliest);
      lastReported = earliest;
      lastReportAt = clock.instant();
    } catch (RuntimeException e) {
      log.warn("Expiry report of cache bucket {} failed", entityId, e);
    }
  }
}
