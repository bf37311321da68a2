package dev.troupe.actors.rooms.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.room.RoomEvent;
import dev.troupe.actors.rooms.room.RoomJournal;
import dev.troupe.actors.rooms.room.RoomRefusals;
import dev.troupe.persistence.audit.AuditRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's hubs on a one-node cluster, driven directly (no room entity): the journal is Pekko's
 * in-memory one, and the test plays the room by publishing on the room's topic.
 */
class RoomHubTest {

  private static final Config CONFIG =
      ConfigFactory.parseString(
              """
              pekko.actor.provider = cluster
              pekko.remote.artery.canonical.hostname = "127.0.0.1"
              pekko.remote.artery.canonical.port = 0
              pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
              troupe.rooms.hub-idle-stop = 1s
              troupe.rooms.presence.refresh-interval = 1s
              troupe.rooms.gap-fill-timeout = 2s
              troupe.persistence.read-journal-plugin = "%s"
              """
                  .formatted(PersistenceTestKitReadJournal.Identifier()))
          .withFallback(PersistenceTestKitPlugin.getInstance().config())
          .withFallback(ConfigFactory.load());

  private static final ActorTestKit testKit = ActorTestKit.create("RoomHubTest", CONFIG);
  private static final RoomSettings ROOM = new RoomSettings(RoomSettings.Visibility.PUBLIC, 10_000, 1_000, RoomSettings.Posting.ANYONE);

  private static RoomsSettings settings;
  private static PersistenceTestKit journal;
  private static ActorRef<RoomHubs.Command> hubs;
  private static String selfNode;
  private static final ConcurrentLinkedQueue<String> leftByHub = new ConcurrentLinkedQueue<>();
  private static final AtomicInteger clientIds = new AtomicInteger();
  /** What the fake room access refuses, by {@code room/user/admin}; anyone else may read. */
  private static final Map<String, RoomException> refusals = new ConcurrentHashMap<>();
  /** The access checks the hubs asked, as {@code room/user/admin}. */
  private static final ConcurrentLinkedQueue<String> asked = new ConcurrentLinkedQueue<>();

  private static CompletableFuture<RoomInfo> access(String org, String room, String user, boolean admin) {
    String who = room + "/" + user + "/" + admin;
    asked.add(who);
    RoomException refusal = refusals.get(who);
    return refusal == null ? CompletableFuture.completedFuture(info(room, 0)) : CompletableFuture.failedFuture(refusal);
  }

  @BeforeAll
  static void start() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.selfMember().status() == MemberStatus.up());
    settings = RoomsSettings.from(testKit.system().settings().config());
    journal = PersistenceTestKit.create(testKit.system());
    selfNode = cluster.selfMember().address().toString();
    ClientRooms clientRooms =
        new ClientRooms() {
          @Override
          public void left(RoomClient client, String room, Object token) {
            leftByHub.add(client.id() + "@" + room);
          }

          @Override
          public void end(RoomClient client) {
            client.queue().complete();
          }
        };
    hubs = testKit.spawn(RoomHubs.create(settings, new RoomJournal(testKit.system(), settings), RoomHubTest::access, clientRooms, selfNode));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A client whose outputs (replays flattened) are collected as they come. */
  private record Client(RoomClient client, ConcurrentLinkedQueue<RoomOutput> outputs) {
    List<Long> offsets() {
      List<Long> offsets = new ArrayList<>();
      for (RoomOutput output : outputs) {
        if (output instanceof RoomOutput.Message m) {
          offsets.add(m.message().offset());
        }
      }
      return offsets;
    }

    <T extends RoomOutput> List<T> all(Class<T> type) {
      return outputs.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private static Client client(String user) {
    Pair<BoundedSourceQueue<RoomOutput>, Source<RoomOutput, NotUsed>> queue =
        Source.<RoomOutput>queue(256).preMaterialize(testKit.system());
    RoomClient client =
        new RoomClient("t" + clientIds.incrementAndGet(), "acme", user, "s-" + user, "ws", Instant.now(), queue.first());
    ConcurrentLinkedQueue<RoomOutput> outputs = new ConcurrentLinkedQueue<>();
    queue
        .second()
        .flatMapConcat(
            o -> o instanceof RoomOutput.Replay r ? r.messages().map(m -> (RoomOutput) new RoomOutput.Message(m)) : Source.single(o))
        .runWith(Sink.foreach(outputs::add), testKit.system());
    return new Client(client, outputs);
  }

  private static RoomInfo info(String room, long head) {
    return new RoomInfo(room, ROOM, head, Instant.EPOCH, 0);
  }

  private static void join(Client client, String room, long head, OptionalLong since) throws Exception {
    join(client, room, head, since, false);
  }

  private static void join(Client client, String room, long head, OptionalLong since, boolean admin) throws Exception {
    AskPattern.<RoomHubs.Command, StatusReply<Done>>ask(
            hubs,
            replyTo -> new HubRequest.Join("acme", room, info(room, head), client.client(), new Object(), since, "r1", admin, replyTo),
            Duration.ofSeconds(5),
            testKit.system().scheduler())
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS)
        .getValue();
  }

  /** The test's own instance of the room's topic, once it sees the hub's. */
  private static ActorRef<Topic.Command<RoomBroadcast>> roomTopic(String room) {
    ActorRef<Topic.Command<RoomBroadcast>> topic =
        testKit.spawn(Topic.create(RoomBroadcast.class, RoomTopics.name("acme", room)));
    TestProbe<Topic.TopicStats> stats = testKit.createTestProbe();
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () -> {
              topic.tell(Topic.getTopicStats(stats.getRef()));
              return stats.receiveMessage().topicInstanceCount() >= 1;
            });
    return topic;
  }

  private static void store(String room, long... offsets) {
    List<Object> events = new ArrayList<>();
    for (long offset : offsets) {
      events.add(
          new RoomEvent.Posted(
              new AuditRecord("alice", "acme", "r" + offset, "n", Instant.EPOCH), offset, "alice", Instant.EPOCH, null, "{\"n\":" + offset + "}"));
    }
    journal.persistForRecovery("room|acme:" + room, events);
  }

  private static RoomMessage message(String room, long offset) {
    return new RoomMessage(room, offset, "alice", Instant.EPOCH, "{\"n\":" + offset + "}");
  }

  @Test
  void holesAreFilledFromTheJournalSoEveryOffsetGoesOutOnceInOrder() throws Exception {
    String room = "gaps";
    store(room, 1, 2, 3, 4, 5, 6, 7);
    Client alice = client("alice");
    join(alice, room, 2, OptionalLong.empty());
    ActorRef<Topic.Command<RoomBroadcast>> topic = roomTopic(room);

    topic.tell(Topic.publish(new RoomBroadcast.Published(message(room, 3))));
    // 4 and 5 are lost on the way; 6 shows the hole, 5 arrives late, 7 follows.
    topic.tell(Topic.publish(new RoomBroadcast.Published(message(room, 6))));
    topic.tell(Topic.publish(new RoomBroadcast.Published(message(room, 5))));
    topic.tell(Topic.publish(new RoomBroadcast.Published(message(room, 3))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> alice.offsets().size() >= 4);
    topic.tell(Topic.publish(new RoomBroadcast.Published(message(room, 7))));
    await().atMost(10, TimeUnit.SECONDS).until(() -> alice.offsets().size() >= 5);

    assertThat(alice.offsets()).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(alice.all(RoomOutput.Message.class).get(1).message().body()).isEqualTo("{\"n\":4}");
  }

  @Test
  void aHeadAboveWhatWasDeliveredIsReadFromTheJournal() throws Exception {
    String room = "heads";
    store(room, 1, 2, 3, 4, 5);
    Client alice = client("alice");
    join(alice, room, 1, OptionalLong.empty());
    ActorRef<Topic.Command<RoomBroadcast>> topic = roomTopic(room);

    topic.tell(Topic.publish(new RoomBroadcast.Head(room, 5, 0)));

    await().atMost(10, TimeUnit.SECONDS).until(() -> alice.offsets().size() >= 4);
    assertThat(alice.offsets()).containsExactly(2L, 3L, 4L, 5L);
  }

  @Test
  void aJoinWithSinceGetsTheStoredMessagesThenLiveOnes() throws Exception {
    String room = "resume";
    store(room, 1, 2, 3, 4);
    Client bob = client("bob");
    join(bob, room, 4, OptionalLong.of(1));
    ActorRef<Topic.Command<RoomBroadcast>> topic = roomTopic(room);
    store(room, 5);
    topic.tell(Topic.publish(new RoomBroadcast.Published(message(room, 5))));

    await().atMost(10, TimeUnit.SECONDS).until(() -> bob.offsets().size() >= 4);
    assertThat(bob.offsets()).containsExactly(2L, 3L, 4L, 5L);
    assertThat(bob.outputs().peek()).isInstanceOf(RoomOutput.Joined.class);
    assertThat(new ArrayList<>(bob.outputs()).get(1)).isInstanceOf(RoomOutput.PresenceSnapshot.class);
  }

  @Test
  void aJoinBurstCostsAFewPresenceMessagesNotOnePerJoin() throws Exception {
    String room = "burst";
    Client observer = client("observer");
    join(observer, room, 0, OptionalLong.empty());
    ActorRef<Topic.Command<RoomBroadcast>> topic = roomTopic(room);
    TestProbe<RoomBroadcast> wire = testKit.createTestProbe();
    topic.tell(Topic.subscribe(wire.getRef()));
    // The hub's topic sees the probe's instance once the probe hears the hub's heartbeat.
    wire.fishForMessage(
        Duration.ofSeconds(10),
        b -> b instanceof RoomBroadcast.PresenceVersion
            ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
            : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());

    int joins = 300;
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < joins; i++) {
      clients.add(client("user" + i));
    }
    for (Client c : clients) {
      AskPattern.<RoomHubs.Command, StatusReply<Done>>ask(
          hubs,
          replyTo -> new HubRequest.Join("acme", room, info(room, 0), c.client(), new Object(), OptionalLong.empty(), null, false, replyTo),
          Duration.ofSeconds(5),
          testKit.system().scheduler());
    }
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> observer.all(RoomOutput.PresenceDiff.class).stream().anyMatch(d -> d.connectionCount() == joins + 1));

    List<RoomOutput.PresenceDiff> diffs = observer.all(RoomOutput.PresenceDiff.class);
    assertThat(diffs.size()).isLessThan(10);
    // 301 users is above the default list threshold of 200: counts only.
    assertThat(diffs.get(diffs.size() - 1).userCount()).isEqualTo(joins + 1);
    assertThat(diffs.get(diffs.size() - 1).joins()).isEmpty();

    // The hub publishes its deltas before it hands the diff to its clients.
    List<RoomBroadcast.PresenceDelta> deltas = drain(wire);
    // O(1) messages on the topic per batch interval, every join in them once.
    assertThat(deltas.size()).isBetween(1, 5);
    assertThat(deltas.stream().mapToInt(d -> d.joins().values().stream().mapToInt(List::size).sum()).sum())
        .isEqualTo(joins);
  }

  @Test
  void aLeaveInTheBatchOfItsJoinStillReachesAClientWhoseSnapshotHadIt() throws Exception {
    String room = "netting";
    Client ann = client("ann");
    Client bob = client("bob");
    TestProbe<StatusReply<Done>> replies = testKit.createTestProbe();
    // All three within one batch interval: bob's snapshot has ann, whose join is not sent yet.
    hubs.tell(new HubRequest.Join("acme", room, info(room, 0), ann.client(), new Object(), OptionalLong.empty(), "a", false, replies.getRef()));
    hubs.tell(new HubRequest.Join("acme", room, info(room, 0), bob.client(), new Object(), OptionalLong.empty(), "b", false, replies.getRef()));
    hubs.tell(new HubRequest.Leave("acme", room, ann.client(), "l"));
    replies.receiveSeveralMessages(2, Duration.ofSeconds(5));

    await().atMost(5, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.PresenceSnapshot.class).isEmpty());
    assertThat(bob.all(RoomOutput.PresenceSnapshot.class).get(0).state().users()).containsKey("ann");
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> bob.all(RoomOutput.PresenceDiff.class).stream().anyMatch(d -> d.leaves().containsKey("ann")));
    RoomOutput.PresenceDiff diff = bob.all(RoomOutput.PresenceDiff.class).get(0);
    assertThat(diff.leaves()).containsOnlyKeys("ann");
    assertThat(diff.connectionCount()).isEqualTo(1);
  }

  private static List<RoomBroadcast.PresenceDelta> drain(TestProbe<RoomBroadcast> wire) {
    List<RoomBroadcast.PresenceDelta> deltas = new ArrayList<>();
    while (true) {
      RoomBroadcast next;
      try {
        next = wire.receiveMessage(Duration.ofMillis(200));
      } catch (AssertionError none) {
        return deltas;
      }
      if (next instanceof RoomBroadcast.PresenceDelta d) {
        deltas.add(d);
      }
    }
  }

  @Test
  void presenceOfAnotherNodeIsMergedAndAnsweredAndForgottenWhenItFallsSilent() throws Exception {
    String room = "gossip";
    Client alice = client("alice");
    join(alice, room, 0, OptionalLong.empty());
    ActorRef<Topic.Command<RoomBroadcast>> topic = roomTopic(room);
    TestProbe<RoomBroadcast> remoteHub = testKit.createTestProbe();
    String remote = "pekko://Other@10.0.0.9:2552";
    PresenceMeta aliceThere = new PresenceMeta("x1", remote, "sse", Instant.EPOCH);

    topic.tell(Topic.publish(new RoomBroadcast.PresenceDelta(room, remote, remoteHub.getRef(), 1, Map.of("alice", List.of(aliceThere)), Map.of())));

    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> alice.all(RoomOutput.PresenceDiff.class).stream().anyMatch(d -> d.joins().containsKey("alice") && d.connectionCount() == 2));
    RoomOutput.PresenceDiff joined =
        alice.all(RoomOutput.PresenceDiff.class).stream().filter(d -> d.connectionCount() == 2).findFirst().orElseThrow();
    assertThat(joined.userCount()).isEqualTo(1);

    // A request from the remote hub is answered with this node's state.
    topic.tell(Topic.publish(new RoomBroadcast.PresenceRequest(room, remote, remoteHub.getRef(), 1)));
    RoomBroadcast.PresenceSync sync = remoteHub.expectMessageClass(RoomBroadcast.PresenceSync.class, Duration.ofSeconds(5));
    assertThat(sync.node()).isEqualTo(selfNode);
    assertThat(sync.users()).containsOnlyKeys("alice");
    assertThat(sync.users().get("alice")).extracting(PresenceMeta::connection).containsExactly(alice.client().id());

    // No heartbeat from the remote node for three refresh intervals: its connection leaves.
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> alice.all(RoomOutput.PresenceDiff.class).stream().anyMatch(d -> d.leaves().containsKey("alice") && d.connectionCount() == 1));
  }

  @Test
  void signalsReachTheOtherConnectionsButNotTheSender() throws Exception {
    String room = "signals";
    Client alice = client("alice");
    Client bob = client("bob");
    join(alice, room, 0, OptionalLong.empty());
    join(bob, room, 0, OptionalLong.empty());
    hubs.tell(new HubRequest.Send("acme", room, alice.client(), "{\"typing\":true}"));

    await().atMost(5, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.Signal.class).isEmpty());
    assertThat(bob.all(RoomOutput.Signal.class).get(0).sender()).isEqualTo("alice");
    hubs.tell(new HubRequest.Send("acme", room, bob.client(), "{\"typing\":false}"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> !alice.all(RoomOutput.Signal.class).isEmpty());
    assertThat(alice.all(RoomOutput.Signal.class)).hasSize(1);
    assertThat(bob.all(RoomOutput.Signal.class)).hasSize(1);
  }

  @Test
  void removalsAndClosingPutClientsOutAndAKickEndsTheConnection() throws Exception {
    String room = "removals";
    Client alice = client("alice");
    Client bob = client("bob");
    Client carol = client("carol");
    join(alice, room, 0, OptionalLong.empty());
    join(bob, room, 0, OptionalLong.empty());
    join(carol, room, 0, OptionalLong.empty());
    ActorRef<Topic.Command<RoomBroadcast>> topic = roomTopic(room);

    refusals.put(room + "/bob/false", RoomRefusals.banned(room));
    topic.tell(Topic.publish(new RoomBroadcast.Removal(room, "alice", "kicked")));
    topic.tell(Topic.publish(new RoomBroadcast.Removal(room, "bob", "banned")));
    await().atMost(5, TimeUnit.SECONDS).until(() -> alice.client().queue().isCompleted());
    await().atMost(5, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.Removed.class).isEmpty());
    RoomOutput.Removed kicked = alice.all(RoomOutput.Removed.class).get(0);
    assertThat(kicked.code()).isEqualTo("kicked");
    assertThat(kicked.disconnect()).isTrue();
    assertThat(bob.all(RoomOutput.Removed.class).get(0).code()).isEqualTo("banned");
    assertThat(bob.all(RoomOutput.Removed.class).get(0).disconnect()).isFalse();
    assertThat(bob.client().queue().isCompleted()).isFalse();
    assertThat(leftByHub).contains(alice.client().id() + "@" + room, bob.client().id() + "@" + room);

    topic.tell(Topic.publish(new RoomBroadcast.Closed(room)));
    await().atMost(5, TimeUnit.SECONDS).until(() -> !carol.all(RoomOutput.Closed.class).isEmpty());
    assertThat(bob.all(RoomOutput.Closed.class)).isEmpty();
    store(room, 1);
    topic.tell(Topic.publish(new RoomBroadcast.Published(message(room, 1))));
    // Nobody is in the room any more: the hub stops after hub-idle-stop.
    await().atMost(10, TimeUnit.SECONDS).until(() -> !hubKeys().contains("acme:" + room));
    assertThat(carol.offsets()).isEmpty();
  }

  @Test
  void anAccessChangePutsOutOnlyTheUsersTheRoomNowRefuses() throws Exception {
    String room = "access";
    Client admin = client("ada");
    Client member = client("mia");
    Client outsider = client("otto");
    Client banned = client("bea");
    Client marker = client("mark");
    join(admin, room, 0, OptionalLong.empty(), true);
    join(member, room, 0, OptionalLong.empty());
    join(outsider, room, 0, OptionalLong.empty());
    join(banned, room, 0, OptionalLong.empty());
    join(marker, room, 0, OptionalLong.empty());
    ActorRef<Topic.Command<RoomBroadcast>> topic = roomTopic(room);
    // The admin would be refused as a non-admin: the hub must ask with the flag it joined with.
    refusals.put(room + "/ada/false", RoomRefusals.membersOnly(room));
    refusals.put(room + "/otto/false", RoomRefusals.membersOnly(room));
    refusals.put(room + "/bea/false", RoomRefusals.banned(room));

    topic.tell(Topic.publish(new RoomBroadcast.AccessChanged(room)));
    await().atMost(5, TimeUnit.SECONDS).until(() -> !outsider.all(RoomOutput.Removed.class).isEmpty());
    await().atMost(5, TimeUnit.SECONDS).until(() -> !banned.all(RoomOutput.Removed.class).isEmpty());
    assertThat(outsider.all(RoomOutput.Removed.class)).singleElement().satisfies(r -> {
      assertThat(r.code()).isEqualTo("not_member");
      assertThat(r.disconnect()).isFalse();
    });
    assertThat(banned.all(RoomOutput.Removed.class).get(0).code()).isEqualTo("banned");
    assertThat(leftByHub).contains(outsider.client().id() + "@" + room, banned.client().id() + "@" + room);
    assertThat(outsider.client().queue().isCompleted()).isFalse();

    // An admin named in a not_member removal is asked about and stays. A later removal of the
    // marker runs in a later round, so once the marker is out the admin's answer was handled.
    topic.tell(Topic.publish(new RoomBroadcast.Removal(room, "ada", "not_member")));
    refusals.put(room + "/mark/false", RoomRefusals.membersOnly(room));
    topic.tell(Topic.publish(new RoomBroadcast.Removal(room, "mark", "not_member")));
    await().atMost(5, TimeUnit.SECONDS).until(() -> !marker.all(RoomOutput.Removed.class).isEmpty());
    await().atMost(5, TimeUnit.SECONDS).until(() -> asked.contains(room + "/ada/true"));
    assertThat(asked).doesNotContain(room + "/ada/false");
    assertThat(admin.all(RoomOutput.Removed.class)).isEmpty();
    assertThat(member.all(RoomOutput.Removed.class)).isEmpty();

    // Those who stayed still get the room's messages; those put out do not.
    store(room, 1);
    topic.tell(Topic.publish(new RoomBroadcast.Published(message(room, 1))));
    await().atMost(5, TimeUnit.SECONDS).until(() -> admin.offsets().equals(List.of(1L)) && member.offsets().equals(List.of(1L)));
    assertThat(outsider.offsets()).isEmpty();
  }

  @Test
  void aNewHubAsksAboutItsUsersOnceItsWarmupIsOverSoALostBanStillPutsThemOut() throws Exception {
    String room = "late";
    Client eve = client("eve");
    Client amy = client("amy");
    // Banned before the hub exists and never announced: only the hub's own recheck can find it.
    refusals.put(room + "/eve/false", RoomRefusals.banned(room));
    join(eve, room, 0, OptionalLong.empty());
    join(amy, room, 0, OptionalLong.empty());
    await().atMost(10, TimeUnit.SECONDS).until(() -> !eve.all(RoomOutput.Removed.class).isEmpty());
    assertThat(eve.all(RoomOutput.Removed.class).get(0).code()).isEqualTo("banned");
    await().atMost(5, TimeUnit.SECONDS).until(() -> asked.contains(room + "/amy/false"));
    assertThat(amy.all(RoomOutput.Removed.class)).isEmpty();
  }

  @Test
  void aHeadWithAHigherAccessEpochRepairsALostBan() throws Exception {
    String room = "epoch";
    Client alice = client("alice");
    join(alice, room, 0, OptionalLong.empty());
    ActorRef<Topic.Command<RoomBroadcast>> topic = roomTopic(room);
    topic.tell(Topic.publish(new RoomBroadcast.Head(room, 0, 1)));
    // The warmup's and the first head's checks are over; then a ban whose notices are lost.
    await().atMost(10, TimeUnit.SECONDS).until(() -> asked.stream().filter((room + "/alice/false")::equals).count() >= 2);
    refusals.put(room + "/alice/false", RoomRefusals.banned(room));

    topic.tell(Topic.publish(new RoomBroadcast.Head(room, 0, 2)));

    await().atMost(5, TimeUnit.SECONDS).until(() -> !alice.all(RoomOutput.Removed.class).isEmpty());
    assertThat(alice.all(RoomOutput.Removed.class).get(0).code()).isEqualTo("banned");
    assertThat(leftByHub).contains(alice.client().id() + "@" + room);
  }

  @Test
  void aFullRoomRefusesAJoin() throws Exception {
    String room = "small";
    RoomSettings two = new RoomSettings(RoomSettings.Visibility.PUBLIC, 10, 2, RoomSettings.Posting.ANYONE);
    List<StatusReply<Done>> replies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Client c = client("user" + i);
      replies.add(
          AskPattern.<RoomHubs.Command, StatusReply<Done>>ask(
                  hubs,
                  replyTo -> new HubRequest.Join("acme", room, new RoomInfo(room, two, 0, Instant.EPOCH, 0), c.client(), new Object(), OptionalLong.empty(), null, false, replyTo),
                  Duration.ofSeconds(5),
                  testKit.system().scheduler())
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS));
    }
    assertThat(replies.get(0).isSuccess()).isTrue();
    assertThat(replies.get(1).isSuccess()).isTrue();
    assertThat(replies.get(2).isError()).isTrue();
    assertThat(replies.get(2).getError()).hasMessageContaining("most connections");
  }

  @Test
  void anIdleHubStops() throws Exception {
    String room = "idle";
    Client alice = client("alice");
    join(alice, room, 0, OptionalLong.empty());
    assertThat(hubKeys()).contains("acme:" + room);
    hubs.tell(new HubRequest.Leave("acme", room, alice.client(), "bye"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> !alice.all(RoomOutput.Left.class).isEmpty());
    await().atMost(10, TimeUnit.SECONDS).until(() -> !hubKeys().contains("acme:" + room));
    // A new join starts a new hub.
    join(alice, room, 0, OptionalLong.empty());
    assertThat(hubKeys()).contains("acme:" + room);
  }

  @Test
  void presenceBroadcastsSurviveTheWireFormat() {
    TestProbe<RoomBroadcast> hub = testKit.createTestProbe();
    PresenceMeta meta = new PresenceMeta("c1", selfNode, "ws", Instant.parse("2026-05-01T10:00:00Z"));
    org.apache.pekko.serialization.Serialization serialization =
        org.apache.pekko.serialization.SerializationExtension.get(testKit.system());
    for (RoomBroadcast broadcast :
        List.<RoomBroadcast>of(
            new RoomBroadcast.PresenceDelta("r", selfNode, hub.getRef(), 3, Map.of("alice", List.of(meta)), Map.of()),
            new RoomBroadcast.PresenceSync("r", selfNode, hub.getRef(), 3, 0, 1, Map.of("alice", List.of(meta))),
            new RoomBroadcast.PresenceRequest("r", selfNode, hub.getRef(), 2),
            new RoomBroadcast.PresenceVersion("r", selfNode, hub.getRef(), 2),
            new RoomBroadcast.Signal("r", "c1", "alice", "{}"))) {
      byte[] bytes = serialization.serialize(broadcast).get();
      var serializer = serialization.findSerializerFor(broadcast);
      Object back =
          serialization.deserialize(bytes, serializer.identifier(), org.apache.pekko.serialization.Serializers.manifestFor(serializer, broadcast)).get();
      assertThat(back).isEqualTo(broadcast);
    }
  }

  private static Set<String> hubKeys() throws Exception {
    return AskPattern.<RoomHubs.Command, Set<String>>ask(hubs, RoomHubs.ListHubs::new, Duration.ofSeconds(5), testKit.system().scheduler())
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }
}
