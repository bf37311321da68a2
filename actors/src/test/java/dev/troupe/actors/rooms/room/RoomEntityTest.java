package dev.troupe.actors.rooms.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.rooms.PostResult;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomSettings.Posting;
import dev.troupe.actors.rooms.RoomSettings.Visibility;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.hub.RoomBroadcast;
import dev.troupe.actors.rooms.hub.RoomTopics;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The room entity on the in-memory journal: replies and refusals, what it publishes on its topic
 * (messages, heads, removals, closing), and recovery (from a snapshot too).
 */
class RoomEntityTest {

  private static final Duration HEAD_DELAY = Duration.ofMillis(300);
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  """
                  troupe.node-name = unit-node
                  pekko.actor.provider = local
                  troupe.entities.types.room.snapshot-every = 3
                  troupe.rooms.head-announce-delay = 300ms
                  """)
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));

  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RequestContext ADMIN = new RequestContext("req-a", "ada", "acme");
  private static final RequestContext ANN = new RequestContext("req-1", "ann", "acme");
  private static final RoomSettings PUBLIC =
      new RoomSettings(Visibility.PUBLIC, 100, 50, Posting.ANYONE);
  private static final RoomSettings MEMBERS =
      new RoomSettings(Visibility.MEMBERS, 100, 50, Posting.ANYONE);

  private final String room = "lobby-" + IDS.incrementAndGet();
  private final String entityId = "acme:" + room;
  private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
  private final RoomEnv env =
      new RoomEnv(RoomsSettings.from(testKit.system().settings().config()), clock);
  private TestProbe<RoomBroadcast> topic;
  private EventSourcedBehaviorTestKit<RoomCommand, RoomEvent, RoomState> kit;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void subscribeThenStart() {
    topic = testKit.createTestProbe(RoomBroadcast.class);
    ActorRef<Topic.Command<RoomBroadcast>> instance =
        testKit.spawn(Topic.create(RoomBroadcast.class, RoomTopics.name("acme", room)));
    instance.tell(Topic.subscribe(topic.ref()));
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), RoomEntity.create(env, entityId));
  }

  private <R> R ok(StatusReply<R> reply) {
    assertThat(reply.isSuccess()).as("reply %s", reply).isTrue();
    return reply.getValue();
  }

  private RoomInfo configure(RoomSettings settings) {
    return ok(kit.<StatusReply<RoomCommand.Configured>>runCommand(
                r -> new RoomCommand.Configure(ADMIN, settings, r))
            .reply())
        .info();
  }

  private StatusReply<PostResult> post(RequestContext who, String key, String body) {
    return kit.<StatusReply<PostResult>>runCommand(
            r -> new RoomCommand.Post(who, false, Optional.ofNullable(key), body, r))
        .reply();
  }

  private void done(java.util.function.Function<ActorRef<StatusReply<Done>>, RoomCommand> command) {
    ok(kit.<StatusReply<Done>>runCommand(command::apply).reply());
  }

  /**
   * Posts one message and waits for the head announced after it: from then on the entity's topic
   * knows the test's subscriber (topic registration is eventually consistent).
   */
  private long warmUp() {
    long offset = ok(post(ANN, null, "{\"warm\":true}")).offset();
    topic.fishForMessage(
        WAIT,
        b ->
            b instanceof RoomBroadcast.Head h && h.head() == offset
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    return offset;
  }

  @Test
  void publishesEveryPersistedMessageThenOneHeadAfterTheLastPost() {
    configure(PUBLIC);
    long warm = warmUp();

    for (int i = 1; i <= 3; i++) {
      ok(post(ANN, null, "{\"n\":" + i + "}"));
    }

    for (int i = 1; i <= 3; i++) {
      assertThat(topic.expectMessageClass(RoomBroadcast.Published.class, WAIT).message())
          .isEqualTo(new RoomMessage(room, warm + i, "ann", clock.instant(), "{\"n\":" + i + "}"));
    }
    assertThat(topic.expectMessageClass(RoomBroadcast.Head.class, WAIT))
        .isEqualTo(new RoomBroadcast.Head(room, warm + 3, 0));
    topic.expectNoMessage(HEAD_DELAY.multipliedBy(2));
  }

  @Test
  void announcesItsHeadAfterRecovery() {
    configure(PUBLIC);
    warmUp();
    ok(post(ANN, null, "{}"));
    topic.expectMessageClass(RoomBroadcast.Published.class, WAIT);
    topic.expectMessageClass(RoomBroadcast.Head.class, WAIT);

    kit.restart();

    topic.fishForMessage(
        WAIT,
        b -> {
          assertThat(b).isInstanceOf(RoomBroadcast.Head.class);
          assertThat(((RoomBroadcast.Head) b).head()).isEqualTo(2);
          return FishingOutcomes.complete();
        });
  }

  @Test
  void kicksBansAndMembersRemovedFromAMembersOnlyRoomPutUsersOutAndAnnounceAccessChanges() {
    configure(PUBLIC);
    warmUp();

    done(r -> new RoomCommand.Kick(ADMIN, "bob", r));
    assertThat(next(RoomBroadcast.Removal.class, WAIT))
        .isEqualTo(new RoomBroadcast.Removal(room, "bob", "kicked"));

    done(r -> new RoomCommand.SetBan(ADMIN, "eve", true, r));
    assertThat(next(RoomBroadcast.Removal.class, WAIT))
        .isEqualTo(new RoomBroadcast.Removal(room, "eve", "banned"));
    assertThat(next(RoomBroadcast.AccessChanged.class, WAIT))
        .isEqualTo(new RoomBroadcast.AccessChanged(room));
    // an unban lets more in: nothing to announce
    done(r -> new RoomCommand.SetBan(ADMIN, "eve", false, r));

    // a public room: a member removed may still read
    done(r -> new RoomCommand.SetMember(ADMIN, "carl", true, r));
    done(r -> new RoomCommand.SetMember(ADMIN, "carl", false, r));
    assertThat(next(RoomBroadcast.Head.class).accessEpoch()).as("a kick and a ban").isEqualTo(2);
    topic.expectNoMessage(HEAD_DELAY.multipliedBy(2));

    configure(MEMBERS);
    assertThat(next(RoomBroadcast.AccessChanged.class, WAIT))
        .as("public to members-only")
        .isEqualTo(new RoomBroadcast.AccessChanged(room));
    done(r -> new RoomCommand.SetMember(ADMIN, "carl", true, r));
    done(r -> new RoomCommand.SetMember(ADMIN, "carl", false, r));
    assertThat(next(RoomBroadcast.Removal.class, WAIT))
        .isEqualTo(new RoomBroadcast.Removal(room, "carl", "not_member"));
    assertThat(next(RoomBroadcast.AccessChanged.class, WAIT))
        .isEqualTo(new RoomBroadcast.AccessChanged(room));

    done(r -> new RoomCommand.Close(ADMIN, r));
    assertThat(next(RoomBroadcast.Closed.class, WAIT))
        .isEqualTo(new RoomBroadcast.Closed(room));
    // members-only settings, a removal, closing: 5 (heads in between may say less)
    topic.fishForMessage(
        WAIT,
        b ->
            b instanceof RoomBroadcast.Head h && h.accessEpoch() == 5
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    assertThat(kit.getState().accessEpoch()).isEqualTo(5);

    // The epoch is folded from the events: a recovered room announces it again.
    kit.restart();
    topic.fishForMessage(
        WAIT,
        b ->
            b instanceof RoomBroadcast.Head h && h.accessEpoch() == 5
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
  }

  /** The next broadcast of the type, skipping the room's head announcements. */
  private <T extends RoomBroadcast> T next(Class<T> type) {
    return next(type, WAIT);
  }

  private <T extends RoomBroadcast> T next(Class<T> type, Duration wait) {
    List<RoomBroadcast> fished =
        topic.fishForMessage(
            wait,
            m ->
                type.isInstance(m)
                    ? FishingOutcomes.complete()
                    : m instanceof RoomBroadcast.Head
                        ? FishingOutcomes.continueAndIgnore()
                        : FishingOutcomes.fail("unexpected " + m));
    return type.cast(fished.get(fished.size() - 1));
  }

  @Test
  void refusesWithTheCodeOfItsRefusal() {
    StatusReply<PostResult> missing = post(ANN, null, "{}");
    assertThat(missing.isError()).isTrue();
    assertThat(missing.getError().getMessage())
        .isEqualTo("not_found: room " + room + " does not exist");
    RoomException back = RoomRefusals.fromText(missing.getError().getMessage());
    assertThat(back.kind()).isEqualTo(RoomException.Kind.NOT_FOUND);
    assertThat(back.getMessage()).isEqualTo("room " + room + " does not exist");

    configure(MEMBERS);
    StatusReply<RoomInfo> access =
        kit.<StatusReply<RoomInfo>>runCommand(r -> new RoomCommand.Access("ann", false, r)).reply();
    RoomException membersOnly = RoomRefusals.fromText(access.getError().getMessage());
    assertThat(membersOnly.kind()).isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(RoomRefusals.isMembersOnly(membersOnly)).isTrue();
    assertThat(RoomRefusals.isBan(membersOnly)).isFalse();
    done(r -> new RoomCommand.SetBan(ADMIN, "ann", true, r));
    RoomException banned =
        RoomRefusals.fromText(
            kit.<StatusReply<RoomInfo>>runCommand(r -> new RoomCommand.Access("ann", false, r))
                .reply()
                .getError()
                .getMessage());
    assertThat(RoomRefusals.isBan(banned)).as("a ban is told apart after its trip as text").isTrue();
    assertThat(RoomRefusals.isMembersOnly(banned)).isFalse();
    done(r -> new RoomCommand.SetBan(ADMIN, "ann", false, r));
    StatusReply<RoomInfo> admin =
        kit.<StatusReply<RoomInfo>>runCommand(r -> new RoomCommand.Access("ada", true, r)).reply();
    assertThat(ok(admin).settings()).isEqualTo(MEMBERS);
  }

  @Test
  void aRetriedKeyAnswersTheFirstResultAfterRecoveryFromASnapshot() {
    configure(PUBLIC);
    PostResult first = ok(post(ANN, "key-1", "{\"a\":1}"));
    for (int i = 0; i < 4; i++) {
      ok(post(ANN, null, "{}"));
    }
    assertThat(kit.snapshotTestKit().orElseThrow().persistedInStorage("room|" + entityId))
        .as("snapshots")
        .isNotEmpty();

    kit.restart();

    var retry =
        kit.<StatusReply<PostResult>>runCommand(
            r -> new RoomCommand.Post(ANN, false, Optional.of("key-1"), "{\"a\":1}", r));
    assertThat(retry.hasNoEvents()).isTrue();
    assertThat(ok(retry.reply()))
        .isEqualTo(new PostResult(room, first.offset(), "ann", first.timestamp(), true));
    assertThat(kit.getState().head()).isEqualTo(5);
    RoomInfo info = ok(kit.<StatusReply<RoomInfo>>runCommand(RoomCommand.GetInfo::new).reply());
    assertThat(info.head()).isEqualTo(5);
  }
}
