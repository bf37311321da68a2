package dev.troupe.http.security;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Per-node caps on live connections (WebSockets and room SSE streams) per user and per client
 * address. A connection takes a {@link Lease} before the upgrade or the stream starts (refused past
 * a cap) and gives it back when it ends. A lease whose connection never starts (the client went
 * away before the upgrade) is given back after {@code startTimeout}. Addresses are counted by
 * {@link ClientAddress#rateKey}: an IPv6 client by its /64, so rotating addresses inside it does
 * not escape the per-address cap.
 */
public final class ConnectionLimits {

  private final int perUser;
  private final int perIp;
  private final Duration startTimeout;
  private final BiConsumer<Duration, Runnable> scheduler;
  private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();

  ConnectionLimits(
      int perUser, int perIp, Duration startTimeout, BiConsumer<Duration, Runnable> scheduler) {
    this.perUser = perUser;
    this.perIp = perIp;
    this.startTimeout = startTimeout;
    this.scheduler = scheduler;
  }

  /** A lease for one more connection of the user from the address; empty past either cap. */
  public Optional<Lease> acquire(String user, String address) {
    String userKey = "user|" + user;
    String ipKey = "ip|" + ClientAddress.rateKey(address);
    if (!increment(userKey, perUser)) {
      return Optional.empty();
    }
    if (!increment(ipKey, perIp)) {
      decrement(userKey);
      return Optional.empty();
    }
    Lease lease = new Lease(userKey, ipKey);
    scheduler.accept(startTimeout, lease::releaseIfNotStarted);
    return Optional.of(lease);
  }

  /** Live connections counted for the user (for tests and metrics). */
  int countOfUser(String user) {
    return counts.getOrDefault("user|" + user, 0);
  }

  /** Live connections counted for the address (its /64 for IPv6). */
  int countOfAddress(String address) {
    return counts.getOrDefault("ip|" + ClientAddress.rateKey(address), 0);
  }

  private boolean increment(String key, int cap) {
    boolean[] granted = {false};
    counts.compute(
        key,
        (k, count) -> {
          int now = count == null ? 0 : count;
          if (now >= cap) {
            return count;
          }
          granted[0] = true;
          return now + 1;
        });
    return granted[0];
  }

  private void decrement(String key) {
    counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
  }

  /** One counted connection. */
  public final class Lease {
    private final String userKey;
    private final String ipKey;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(String userKey, String ipKey) {
      this.userKey = userKey;
      this.ipKey = ipKey;
    }

    /** The connection started (its stream was materialized): it now releases when it ends. */
    public void started() {
      started.set(true);
    }

    /** Gives the slot back; idempotent. */
    public void release() {
      if (released.compareAndSet(false, true)) {
        decrement(userKey);
        decrement(ipKey);
      }
    }

    private void releaseIfNotStarted() {
      if (!started.get()) {
        release();
      }
    }
  }
}
