package dev.troupe.actors.cache.sweep;

import dev.troupe.actors.cache.bucket.BucketCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ShardedDaemonProcess;

/**
 * Starts the sweeper: the {@code cache-sweeper} sharded daemon process, whose {@code
 * sweep-workers} {@link SweepWorker}s run spread over the cluster (each exactly once while the
 * cluster is up). The {@link CacheSchedule} entity type must be started first.
 */
public final class CacheSweeper {

  /** The daemon process's name. */
  public static final String NAME = "cache-sweeper";

  private CacheSweeper() {}

  /**
   * @param workers {@code troupe.cache.sweep-workers}
   * @param interval {@code troupe.cache.sweep-interval}
   * @param bucketTypes the bucket entity types by name
   * @param askTimeout how long a worker waits for its schedule
   */
  public static void start(
      ActorSystem<?> system,
      int workers,
      Duration interval,
      Map<String, EntityTypeKey<BucketCommand>> bucketTypes,
      Duration askTimeout) {
    ShardedDaemonProcess.get(system)
        .init(
            SweepWorker.Command.class,
            NAME,
            workers,
            worker ->
                SweepWorker.create(worker, interval, bucketTypes, askTimeout, Clock.systemUTC()));
  }
}
