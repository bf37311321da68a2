package dev.troupe.actors.cache.bucket;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The getOrCompute load leases of one bucket, in memory only (a restarted bucket has none; the
 * callers' asks time out and retry). Per key: the holder's lease id and the callers parked until
 * the key is filled. Each lease has a timer that sends the bucket {@code Abandon(key, leaseId)}
 * after the lease timeout, so a holder that died is replaced by the next waiter.
 *
 * <p>Guarantee: while a holder lives (fills or abandons within the lease timeout), at most one
 * load of a key is in flight, unless the key is deleted, invalidated or flushed meanwhile: that
 * revokes the load (it may have read the data the change replaced) and the next waiter, or the
 * next caller, starts a fresh one.
 */
final class BucketLeases {

  /** A parked caller and the time after which its ask has timed out. */
  record Waiter(ActorRef<BucketReply.AcquireReply> replyTo, Instant deadline) {}

  /** A lease passed to a waiter. */
  record Handover(String leaseId, ActorRef<BucketReply.AcquireReply> replyTo) {}

  private static final class Lease {
    String holder;
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();

    Lease(String holder) {
      this.holder = holder;
    }
  }

  private final Map<String, Lease> leases = new HashMap<>();
  private final TimerScheduler<? super BucketCommand> timers;
  private final Duration timeout;

  BucketLeases(TimerScheduler<? super BucketCommand> timers, Duration timeout) {
    this.timers = timers;
    this.timeout = timeout;
  }

  /**
   * The new lease id when nobody holds the key's lease, else empty: the caller is parked until
   * {@code deadline}.
   */
  Optional<String> acquire(String key, ActorRef<BucketReply.AcquireReply> replyTo, Instant deadline) {
    Lease lease = leases.get(key);
    if (lease != null) {
      lease.waiters.add(new Waiter(replyTo, deadline));
      return Optional.empty();
    }
    String id = newLease(key);
    leases.put(key, new Lease(id));
    return Optional.of(id);
  }

  /**
   * The key was filled: its lease ends, whoever held it. The parked callers still waiting at
   * {@code now}, to be told the entry.
   */
  List<ActorRef<BucketReply.AcquireReply>> fill(String key, Instant now) {
    Lease lease = leases.remove(key);
    if (lease == null) {
      return List.of();
    }
    timers.cancel(timerKey(key));
    List<ActorRef<BucketReply.AcquireReply>> waiting = new ArrayList<>();
    for (Waiter waiter : lease.waiters) {
      if (waiter.deadline().isAfter(now)) {
        waiting.add(waiter.replyTo());
      }
    }
    return waiting;
  }

  /**
   * The holder of {@code leaseId} gave the key up (or its time ran out): the lease passes to the
   * next caller still waiting at {@code now}, or ends. Empty when the id is not the key's current
   * lease (stale) or nobody waits.
   */
  Optional<Handover> release(String key, String leaseId, Instant now) {
    Lease lease = leases.get(key);
    if (lease == null || !lease.holder.equals(leaseId)) {
      return Optional.empty();
    }
    Waiter next;
    while ((next = lease.waiters.poll()) != null) {
      if (next.deadline().isAfter(now)) {
        lease.holder = newLease(key);
        return Optional.of(new Handover(lease.holder, next.replyTo()));
      }
    }
    leases.remove(key);
    timers.cancel(timerKey(key));
    return Optional.empty();
  }

  /**
   * The key's data changed under its load (deleted, invalidated, flushed): the load in flight is
   * stale, so its lease passes on as if the holder had given it up. Empty when the key has no
   * lease or nobody waits.
   */
  Optional<Handover> revoke(String key, Instant now) {
    Lease lease = leases.get(key);
    return lease == null ? Optional.empty() : release(key, lease.holder, now);
  }

  /** The keys with a lease. */
  Set<String> keys() {
    return Set.copyOf(leases.keySet());
  }

  /**
   * Forgets every lease and parked caller, and stops their timers: for a bucket that recovers
   * again after a restart (its timers are gone). Holders' later fills count as stale ones, and
   * parked callers' asks time out and are retried.
   */
  void clear() {
    for (String key : leases.keySet()) {
      timers.cancel(timerKey(key));
    }
    leases.clear();
  }

  /** Whether {@code leaseId} is the key's current lease. */
  boolean holds(String key, String leaseId) {
    Lease lease = leases.get(key);
    return lease != null && lease.holder.equals(leaseId);
  }

  /** The keys with a lease (tests). */
  int size() {
    return leases.size();
  }

  private String newLease(String key) {
    String id = UUID.randomUUID().toString();
    timers.startSingleTimer(timerKey(key), new BucketCommand.Abandon(key, id), timeout);
    return id;
  }

  private static String timerKey(String key) {
    return "lease|" + key;
  }
}
