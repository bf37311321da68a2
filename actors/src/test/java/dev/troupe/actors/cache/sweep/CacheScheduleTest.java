package dev.troupe.actors.cache.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sweep schedule: persists only changes, answers what is due, survives a restart. */
class CacheScheduleTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "troupe.node-name = unit-node\n"
                      + "pekko.actor.provider = local\n"
                      + "troupe.entities.types.cache-schedule.snapshot-every = 4")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));

  private static final String ID = CacheSchedule.entityId(0);
  private static final String TYPE = "cache-bucket";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final EventSourcedBehaviorTestKit<
          CacheSchedule.Command, CacheSchedule.Event, CacheSchedule.State>
      kit = EventSourcedBehaviorTestKit.create(testKit.system(), CacheSchedule.create(ID));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private EventSourcedBehaviorTestKit.CommandResult<
          CacheSchedule.Command, CacheSchedule.Event, CacheSchedule.State>
      report(String bucket, Instant due) {
    return kit.runCommand(new CacheSchedule.Report(TYPE, bucket, due));
  }

  private CacheSchedule.Due dueBy(Instant now, int limit) {
    return kit.<CacheSchedule.Due>runCommand(replyTo -> new CacheSchedule.DueBy(now, limit, replyTo))
        .reply();
  }

  @Test
  void idsAreSystemScopedAndWorkersSpreadBuckets() {
    assertThat(CacheSchedule.entityId(3)).isEqualTo("system:sweep-3");
    assertThat(CacheSchedule.workerOf("acme:ns~1", 4))
        .isEqualTo(Math.floorMod("acme:ns~1".hashCode(), 4))
        .isBetween(0, 3);
    assertThat(CacheSchedule.workerOf("polygenelubricants", 4)).isBetween(0, 3);
  }

  @Test
  void aReportSchedulesTheBucketWithASystemAudit() {
    var result = report("acme:ns~1", T0);

    CacheSchedule.Scheduled event = result.eventOfType(CacheSchedule.Scheduled.class);
    assertThat(event.bucketType()).isEqualTo(TYPE);
    assertThat(event.bucketEntityId()).isEqualTo("acme:ns~1");
    assertThat(event.due()).isEqualTo(T0);
    assertThat(event.audit().principal()).isEqualTo("system");
    assertThat(event.audit().tenant()).isEqualTo("system");
    assertThat(event.audit().node()).isEqualTo("unit-node");
    assertThat(result.state().dueOf(TYPE, "acme:ns~1")).isEqualTo(T0);
  }

  @Test
  void persistsOnlyChanges() {
    report("acme:ns~1", T0);

    assertThat(report("acme:ns~1", T0).hasNoEvents()).isTrue();
    assertThat(report("acme:ns~2", null).hasNoEvents()).isTrue();

    var later = report("acme:ns~1", T0.plusSeconds(60));
    assertThat(later.eventOfType(CacheSchedule.Scheduled.class).due()).isEqualTo(T0.plusSeconds(60));

    var emptied = report("acme:ns~1", null);
    assertThat(emptied.eventOfType(CacheSchedule.Unscheduled.class).bucketEntityId())
        .isEqualTo("acme:ns~1");
    assertThat(emptied.state().due()).isEmpty();
  }

  @Test
  void ignoresMalformedReports() {
    assertThat(kit.runCommand(new CacheSchedule.Report(null, "acme:ns~1", T0)).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new CacheSchedule.Report(TYPE, "", T0)).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new CacheSchedule.Report("a|b", "acme:ns~1", T0)).hasNoEvents())
        .isTrue();
    assertThat(kit.runCommand(new CacheSchedule.Report(TYPE, "x".repeat(301), T0)).hasNoEvents())
        .isTrue();
    assertThat(kit.getState().due()).isEmpty();
  }

  @Test
  void answersTheDueBucketsEarliestFirstAndBounded() {
    report("acme:ns~3", T0.plusSeconds(3));
    report("acme:ns~1", T0.plusSeconds(1));
    report("acme:ns~2", T0.plusSeconds(2));
    kit.runCommand(new CacheSchedule.Report("cache-memory-bucket", "beta:m~0", T0.plusSeconds(2)));
    report("acme:ns~9", T0.plusSeconds(100));

    assertThat(dueBy(T0, 10).slots()).isEmpty();
    assertThat(dueBy(T0.plusSeconds(2), 10).slots())
        .containsExactly(
            new CacheSchedule.Slot(TYPE, "acme:ns~1", T0.plusSeconds(1)),
            new CacheSchedule.Slot(TYPE, "acme:ns~2", T0.plusSeconds(2)),
            new CacheSchedule.Slot("cache-memory-bucket", "beta:m~0", T0.plusSeconds(2)));
    // Handed out, they are snoozed for twice the sweep interval (30 s by default): others first.
    assertThat(dueBy(T0.plusSeconds(50), 10).slots())
        .extracting(CacheSchedule.Slot::bucketEntityId)
        .containsExactly("acme:ns~3");
    assertThat(dueBy(T0.plusSeconds(50), -1).slots()).isEmpty();
    // After the snooze they are due again (nothing was removed: a lost sweep is retried),
    // earliest first and bounded.
    assertThat(dueBy(T0.plusSeconds(62), 2).slots())
        .extracting(CacheSchedule.Slot::bucketEntityId)
        .containsExactly("acme:ns~1", "acme:ns~2");
    assertThat(dueBy(T0.plusSeconds(62), 10).slots())
        .extracting(CacheSchedule.Slot::bucketEntityId)
        .containsExactly("beta:m~0");
    assertThat(kit.getState().due()).hasSize(5);
  }

  @Test
  void bucketsThatNeverSweepDoNotStarveTheOthers() {
    Duration interval = Duration.ofSeconds(30);
    assertThat(CacheSchedule.snoozeOf(interval)).isEqualTo(interval.multipliedBy(2));
    report("acme:stuck~1", T0);
    report("acme:stuck~2", T0.plusSeconds(1));
    report("acme:waiting~3", T0.plusSeconds(2));

    // Ticks of at most 2 slots; the stuck buckets never sweep, so never report again.
    Instant tick1 = T0.plusSeconds(10);
    var first = kit.<CacheSchedule.Due>runCommand(
        replyTo -> new CacheSchedule.DueBy(tick1, 2, replyTo));
    assertThat(first.hasNoEvents()).isTrue(); // snoozes are not persisted
    assertThat(first.reply().slots())
        .extracting(CacheSchedule.Slot::bucketEntityId)
        .containsExactly("acme:stuck~1", "acme:stuck~2");
    assertThat(dueBy(tick1.plus(interval), 2).slots())
        .extracting(CacheSchedule.Slot::bucketEntityId)
        .containsExactly("acme:waiting~3");
    // Two intervals after they were handed out, the stuck ones come back, still earliest first.
    assertThat(dueBy(tick1.plus(interval.multipliedBy(2)), 2).slots())
        .extracting(CacheSchedule.Slot::bucketEntityId)
        .containsExactly("acme:stuck~1", "acme:stuck~2");
  }

  @Test
  void aNewReportEndsTheSnoozeAndARestartForgetsIt() {
    report("acme:ns~1", T0);
    report("acme:ns~2", T0);
    assertThat(dueBy(T0, 10).slots()).hasSize(2);
    assertThat(dueBy(T0.plusSeconds(1), 10).slots()).isEmpty();

    // ns~1 swept but could not expire everything yet: it reports a new due time.
    report("acme:ns~1", T0.plusSeconds(1));
    assertThat(dueBy(T0.plusSeconds(1), 10).slots())
        .extracting(CacheSchedule.Slot::bucketEntityId)
        .containsExactly("acme:ns~1");
    // The same report again changes nothing, so the snooze stays.
    report("acme:ns~1", T0.plusSeconds(1));
    assertThat(dueBy(T0.plusSeconds(2), 10).slots()).isEmpty();

    kit.restart();
    assertThat(dueBy(T0.plusSeconds(2), 10).slots())
        .extracting(CacheSchedule.Slot::bucketEntityId)
        .containsExactly("acme:ns~2", "acme:ns~1");
  }

  @Test
  void recoversFromEventsAndSnapshots() {
    for (int i = 0; i < 6; i++) {
      report("acme:ns~" + i, T0.plusSeconds(i));
    }
    report("acme:ns~0", null);

    var restarted = kit.restart();

    assertThat(restarted.state().due()).hasSize(5).doesNotContainKey(CacheSchedule.slot(TYPE, "acme:ns~0"));
    assertThat(restarted.state().dueOf(TYPE, "acme:ns~5")).isEqualTo(T0.plusSeconds(5));
  }

  @Test
  void modelFoldGivesTheSameStateAsTheEntity() {
    report("acme:ns~1", T0);
    report("acme:ns~2", T0);
    report("acme:ns~1", null);

    CacheSchedule.State folded = CacheSchedule.MODEL.emptyState();
    for (Object event : kit.persistenceTestKit().<Object>persistedInStorage("cache-schedule|" + ID)) {
      folded = CacheSchedule.MODEL.applyUntyped(folded, event);
    }

    assertThat(folded).isEqualTo(kit.getState());
    assertThat(folded.due()).isEqualTo(Map.of(CacheSchedule.slot(TYPE, "acme:ns~2"), T0));
  }
}
