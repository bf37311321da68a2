package dev.troupe.actors.cache.sweep;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.actors.identity.Names;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.entity.EntityModel;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * When cache buckets next need a sweep: one entity per sweeper worker ({@code cache-schedule}, id
 * {@code system:sweep-<w>}) keeps, for every bucket assigned to worker w, the earliest expiry the
 * bucket last reported. Buckets report through {@link ScheduleReporter}; the worker asks which
 * are due ({@link DueBy}) and tells each to sweep. Only changes are persisted, so the schedule
 * survives a full restart and expiry happens even when no bucket is awake.
 *
 * <p>Slots handed out by {@link DueBy} are snoozed in memory (never persisted) until the asking
 * {@code now} plus twice {@code troupe.cache.sweep-interval}, so that buckets that never manage
 * to sweep (and so never report a later expiry) cannot take every place of every tick and starve
 * the others; once the snooze is over they are handed out again. A bucket that sweeps reports its
 * new earliest expiry anyway, which ends its snooze. A restarted schedule forgets its snoozes.
 *
 * <p>A bucket is assigned to worker {@code floorMod(bucketEntityId.hashCode(), sweep-workers)}:
 * changing {@code sweep-workers} leaves the old schedules' slots unswept until their buckets
 * report again.
 */
public final class CacheSchedule
    extends TroupeEntity<CacheSchedule.Command, CacheSchedule.Event, CacheSchedule.State> {

  /** The entity type. */
  public static final String TYPE = "cache-schedule";

  /** Longest bucket type and bucket entity id accepted in a report (others are ignored). */
  static final int MAX_ID_LENGTH = 300;

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, TYPE);

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of(TYPE, Event.class, State.EMPTY, CacheSchedule::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  /** Who the schedule's own events are attributed to. */
  static final RequestContext SWEEP_CONTEXT =
      new RequestContext("cache-sweep", "system", Names.SYSTEM_ORG);

  /** What a schedule accepts. */
  public sealed interface Command extends TroupeSerializable {}

  /**
   * A bucket's earliest expiry, or null when it holds nothing that expires. Persisted only when it
   * changes what the schedule holds. No reply.
   */
  public record Report(String bucketType, String bucketEntityId, Instant due) implements Command {}

  /** The buckets due by {@code now}, earliest first, at most {@code limit}. */
  public record DueBy(Instant now, int limit, ActorRef<Due> replyTo) implements Command {}

  /** One bucket's next sweep. */
  public record Slot(String bucketType, String bucketEntityId, Instant due)
      implements TroupeSerializable {}

  /** The answer to {@link DueBy}. */
  public record Due(List<Slot> slots) implements TroupeSerializable {
    public Due {
      slots = List.copyOf(slots);
    }
  }

  /** What happened to a schedule. */
  public sealed interface Event extends AuditedEvent {}

  /** A bucket is to be swept at {@code due} (replacing an earlier time, if any). */
  public record Scheduled(AuditRecord audit, String bucketType, String bucketEntityId, Instant due)
      implements Event {}

  /** A bucket has nothing left to expire. */
  public record Unscheduled(AuditRecord audit, String bucketType, String bucketEntityId)
      implements Event {}

  /**
   * The schedule; also its snapshot.
   *
   * @param due {@code <bucketType>|<bucketEntityId>} -> when the bucket is next due
   */
  public record State(Map<String, Instant> due) implements TroupeSerializable {
    public static final State EMPTY = new State(Map.of());

    public State {
      due = Map.copyOf(due);
    }

    /** When a bucket is due, or null when it is not scheduled. */
    public Instant dueOf(String bucketType, String bucketEntityId) {
      return due.get(slot(bucketType, bucketEntityId));
    }
  }

  /** The schedule entity id (tenant-scoped, in the system org) of worker {@code worker}. */
  public static String entityId(int worker) {
    return EntityIds.scoped(Names.SYSTEM_ORG, "sweep-" + worker);
  }

  /** The worker a bucket's sweeps belong to. */
  public static int workerOf(String bucketEntityId, int workers) {
    return Math.floorMod(bucketEntityId.hashCode(), workers);
  }

  /** The key of a bucket in {@link State#due()}. */
  public static String slot(String bucketType, String bucketEntityId) {
    return bucketType + "|" + bucketEntityId;
  }

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new CacheSchedule(context.getSystem(), entityId));
  }

  /** How long a handed-out slot is left out of later answers. */
  private final Duration snooze;

  /** Slot -> until when it is left out of DueBy answers (this incarnation only). */
  private final Map<String, Instant> snoozed = new HashMap<>();

  private CacheSchedule(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
    this.snooze = snoozeOf(system.settings().config().getDuration("troupe.cache.sweep-interval"));
  }

  /** Twice the sweep interval: a slot handed out is left out of the next tick's answer. */
  static Duration snoozeOf(Duration sweepInterval) {
    return sweepInterval.multipliedBy(2);
  }

  static State apply(State state, Event event) {
    Map<String, Instant> due = new HashMap<>(state.due());
    if (event instanceof Scheduled scheduled) {
      due.put(slot(scheduled.bucketType(), scheduled.bucketEntityId()), scheduled.due());
    } else if (event instanceof Unscheduled unscheduled) {
      due.remove(slot(unscheduled.bucketType(), unscheduled.bucketEntityId()));
    } else {
      throw new IllegalArgumentException("unknown event " + event.getClass());
    }
    return new State(due);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Report.class, this::onReport)
        .onCommand(DueBy.class, this::onDueBy)
        .build();
  }

  private ReplyEffect<Event, State> onReport(State state, Report cmd) {
    if (!wellFormed(cmd.bucketType())
        || cmd.bucketType().indexOf('|') >= 0
        || !wellFormed(cmd.bucketEntityId())) {
      return Effect().noReply();
    }
    Instant current = state.dueOf(cmd.bucketType(), cmd.bucketEntityId());
    if (!Objects.equals(cmd.due(), current)) {
      // The bucket reports something new (it swept, or stored): no longer snoozed.
      snoozed.remove(slot(cmd.bucketType(), cmd.bucketEntityId()));
    }
    if (cmd.due() == null) {
      if (current == null) {
        return Effect().noReply();
      }
      return Effect()
          .persist(new Unscheduled(audit(SWEEP_CONTEXT), cmd.bucketType(), cmd.bucketEntityId()))
          .thenNoReply();
    }
    if (cmd.due().equals(current)) {
      return Effect().noReply();
    }
    return Effect()
        .persist(
            new Scheduled(audit(SWEEP_CONTEXT), cmd.bucketType(), cmd.bucketEntityId(), cmd.due()))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onDueBy(State state, DueBy cmd) {
    int limit = Math.max(0, cmd.limit());
    Instant now = cmd.now();
    snoozed.values().removeIf(until -> !until.isAfter(now));
    snoozed.keySet().retainAll(state.due().keySet());
    List<Map.Entry<String, Instant>> due =
        state.due().entrySet().stream()
            .filter(e -> !e.getValue().isAfter(now) && !snoozed.containsKey(e.getKey()))
            .sorted(
                Map.Entry.<String, Instant>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey()))
            .limit(limit)
            .toList();
    Instant until = now.plus(snooze);
    due.forEach(e -> snoozed.put(e.getKey(), until));
    return Effect()
        .reply(cmd.replyTo(), new Due(due.stream().map(CacheSchedule::toSlot).toList()));
  }

  private static Slot toSlot(Map.Entry<String, Instant> entry) {
    String key = entry.getKey();
    int bar = key.indexOf('|');
    return new Slot(key.substring(0, bar), key.substring(bar + 1), entry.getValue());
  }

  private static boolean wellFormed(String part) {
    return part != null && !part.isEmpty() && part.length() <= MAX_ID_LENGTH;
  }
}
