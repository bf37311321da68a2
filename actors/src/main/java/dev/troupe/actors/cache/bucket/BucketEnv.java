package dev.troupe.actors.cache.bucket;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything a bucket needs from outside, given to both bucket types when they are started.
 *
 * @param limitsForNamespace a namespace's per-bucket limits
 * @param reporter where buckets report their earliest expiry
 * @param clock the time that stores, expiry and ages are measured with
 * @param leaseTimeout how long a getOrCompute lease holder may take before a waiter takes over
 * @param reportRefresh after this long a bucket reports its earliest expiry again on its next
 *     store even if it did not change, so a lost report is repaired (the sweep interval)
 * @param local where buckets publish their state for reads on this node
 */
public record BucketEnv(
    Function<String, BucketLimits> limitsForNamespace,
    ExpiryReporter reporter,
    Clock clock,
    Duration leaseTimeout,
    Duration reportRefresh,
    LocalBuckets local) {

  public BucketEnv {
    Objects.requireNonNull(limitsForNamespace, "limitsForNamespace");
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(local, "local");
    if (leaseTimeout.isNegative() || leaseTimeout.isZero()) {
      throw new IllegalArgumentException("leaseTimeout must be positive");
    }
    if (reportRefresh.isNegative() || reportRefresh.isZero()) {
      throw new IllegalArgumentException("reportRefresh must be positive");
    }
  }
}
