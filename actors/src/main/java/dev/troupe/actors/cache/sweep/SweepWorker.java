package dev.troupe.actors.cache.sweep;

import dev.troupe.actors.cache.bucket.BucketCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One worker of the {@code cache-sweeper} daemon: every {@code sweep-interval} it asks its {@link
 * CacheSchedule} for the buckets due by now (at most {@link #MAX_PER_TICK}) and tells each to
 * {@link BucketCommand.Sweep}. Nothing is removed from the schedule here: a bucket reports its
 * next expiry after sweeping, so a lost sweep is retried once the schedule's snooze of the slot
 * (twice the sweep interval, see {@link CacheSchedule}) is over. A tick that comes while the
 * previous ask is outstanding is skipped.
 */
public final class SweepWorker {

  /** Most buckets told to sweep per tick and worker. */
  public static final int MAX_PER_TICK = 1000;

  /** What a worker handles; local messages only. */
  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Answered(CacheSchedule.Due due, Throwable failure) implements Command {}

  private final ActorContext<Command> context;
  private final ClusterSharding sharding;
  private final EntityRef<CacheSchedule.Command> schedule;
  private final Map<String, EntityTypeKey<BucketCommand>> bucketTypes;
  private final Duration askTimeout;
  private final Clock clock;

  private SweepWorker(
      ActorContext<Command> context,
      int worker,
      Map<String, EntityTypeKey<BucketCommand>> bucketTypes,
      Duration askTimeout,
      Clock clock) {
    this.context = context;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.schedule = sharding.entityRefFor(CacheSchedule.TYPE_KEY, CacheSchedule.entityId(worker));
    this.bucketTypes = Map.copyOf(bucketTypes);
    this.askTimeout = askTimeout;
    this.clock = clock;
  }

  /**
   * @param worker this worker's number (its schedule is {@code system:sweep-<worker>})
   * @param interval {@code troupe.cache.sweep-interval}
   * @param bucketTypes the bucket entity types by name, to address the buckets a schedule names
   * @param askTimeout how long to wait for the schedule's answer
   * @param clock what "now" is
   */
  public static Behavior<Command> create(
      int worker,
      Duration interval,
      Map<String, EntityTypeKey<BucketCommand>> bucketTypes,
      Duration askTimeout,
      Clock clock) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
                  context.getSelf().tell(Tick.INSTANCE);
                  return new SweepWorker(context, worker, bucketTypes, askTimeout, clock).idle();
                }));
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, this::askDue)
        .onMessage(Answered.class, answered -> Behaviors.same())
        .build();
  }

  private Behavior<Command> waiting() {
    return Behaviors.receive(Command.class)
        .onMessageEquals(Tick.INSTANCE, Behaviors::same)
        .onMessage(Answered.class, this::onAnswered)
        .build();
  }

  private Behavior<Command> askDue() {
    context.ask(
        CacheSchedule.Due.class,
        schedule,
        askTimeout,
        replyTo -> new CacheSchedule.DueBy(clock.instant(), MAX_PER_TICK, replyTo),
        Answered::new);
    return waiting();
  }

  private Behavior<Command> onAnswered(Answered answered) {
    if (answered.failure() != null) {
      context.getLog().debug("Cache schedule did not answer: {}", answered.failure().toString());
      return idle();
    }
    for (CacheSchedule.Slot slot : answered.due().slots()) {
      EntityTypeKey<BucketCommand> type = bucketTypes.get(slot.bucketType());
      if (type == null) {
        // A type this version does not run: drop the slot rather than retry it forever.
        schedule.tell(new CacheSchedule.Report(slot.bucketType(), slot.bucketEntityId(), null));
      } else {
        sharding.entityRefFor(type, slot.bucketEntityId()).tell(new BucketCommand.Sweep());
      }
    }
    if (!answered.due().slots().isEmpty()) {
      context.getLog().debug("Told {} cache buckets to sweep", answered.due().slots().size());
    }
    return idle();
  }
}
