package dev.troupe.actors.cache.sweep;

import dev.troupe.actors.cache.bucket.ExpiryReporter;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The {@link ExpiryReporter} buckets are started with: tells the bucket's {@link CacheSchedule}
 * (worker {@code floorMod(bucketEntityId.hashCode(), sweep-workers)}) its earliest expiry. Fire and
 * forget, never blocks; a lost report is repaired by the bucket's next report (after its next
 * sweep or recovery, or a store once the last report is older than the sweep interval).
 */
public final class ScheduleReporter implements ExpiryReporter {

  private final ClusterSharding sharding;
  private final int workers;

  /**
   * @param sharding the node's sharding, with the {@link CacheSchedule} type started
   * @param workers {@code troupe.cache.sweep-workers}
   */
  public ScheduleReporter(ClusterSharding sharding, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1");
    }
    this.sharding = sharding;
    this.workers = workers;
  }

  @Override
  public void report(String bucketType, String bucketEntityId, Optional<Instant> earliest) {
    String schedule = CacheSchedule.entityId(CacheSchedule.workerOf(bucketEntityId, workers));
    sharding
        .entityRefFor(CacheSchedule.TYPE_KEY, schedule)
        .tell(new CacheSchedule.Report(bucketType, bucketEntityId, earliest.orElse(null)));
  }
}
