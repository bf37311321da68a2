package dev.troupe.actors.rooms.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.Roles;
import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.PresenceState;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.cluster.StageFailures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live delivery through {@link Rooms} on a one-node cluster with the real room entity and Pekko's
 * in-memory journal: every post goes through the entity, its topic and this node's hub.
 */
class RoomLiveTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "RoomLiveTest",
          ConfigFactory.parseString(
                  """
                  pekko.actor.provider = cluster
                  pekko.remote.artery.canonical.hostname = "127.0.0.1"
                  pekko.remote.artery.canonical.port = 0
                  pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                  pekko.coordinated-shutdown.phases.cluster-sharding-shutdown-region.timeout = 2s
                  pekko.actor.testkit.typed.system-shutdown-default = 30s
                  troupe.node-name = unit-node
                  troupe.entities.ask-timeout = 5s
                  troupe.persistence.read-journal-plugin = "%s"
                  troupe.rooms {
                    hub-idle-stop = 1s
                    head-announce-delay = 300ms
                    client.max-rooms = 3
                    client.start-timeout = 3s
                  }
                  """
                      .formatted(PersistenceTestKitReadJournal.Identifier()))
              .withFallback(PersistenceTestKitPlugin.getInstance().config())
              .withFallback(PersistenceTestKitSnapshotPlugin.config())
              .withFallback(ConfigFactory.load()));

  private static final Principal ADMIN = new Principal("root", "acme", "s-root", Set.of(Roles.ORG_ADMIN));
  private static final Principal ALICE = new Principal("alice", "acme", "s-alice", Set.of(Roles.ORG_MEMBER));
  private static final Principal ALICE_TAB2 = new Principal("alice", "acme", "s-alice2", Set.of(Roles.ORG_MEMBER));
  private static final Principal BOB = new Principal("bob", "acme", "s-bob", Set.of(Roles.ORG_MEMBER));

  private static Rooms rooms;
  private static RoomLive live;

  @BeforeAll
  static void startOneNodeCluster() {
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.selfMember().status() == MemberStatus.up());
    rooms = Rooms.get(testKit.system());
    rooms.start();
    live = rooms.live();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static <T> T result(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletionStage<?> stage) throws Exception {
    return StageFailures.unwrap(stage.handle((v, e) -> e).toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  private static void room(String name, RoomSettings settings) throws Exception {
    result(rooms.configure(ADMIN, "req", name, settings));
  }

  private static void room(String name) throws Exception {
    room(name, null);
  }

  private static long post(Principal who, String room, int n) throws Exception {
    return result(rooms.post(who, "req", room, Optional.empty(), "{\"n\":" + n + "}")).offset();
  }

  /** A connected client whose outputs are collected as the edge would send them. */
  private record Client(RoomClient client, ConcurrentLinkedQueue<RoomOutput> outputs, CompletionStage<Done> done) {
    List<Long> offsets(String room) {
      List<Long> offsets = new ArrayList<>();
      for (RoomOutput output : outputs) {
        if (output instanceof RoomOutput.Message m && m.room().equals(room)) {
          offsets.add(m.message().offset());
        }
      }
      return offsets;
    }

    <T extends RoomOutput> List<T> all(Class<T> type) {
      return outputs.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private static Client connect(Principal who) {
    RoomLive.Connection connection = live.connect(who, "ws");
    ConcurrentLinkedQueue<RoomOutput> outputs = new ConcurrentLinkedQueue<>();
    CompletionStage<Done> done = connection.outputs().runWith(Sink.foreach(outputs::add), testKit.system());
    return new Client(connection.client(), outputs, done);
  }

  @Test
  void aJoinWithSinceReplaysThenGoesLiveWithNoGapOrDuplicateAcross1000Posts() throws Exception {
    room("resume");
    Client early = connect(BOB);
    result(live.join(early.client(), BOB, "resume", OptionalLong.empty(), "j1"));
    for (int i = 1; i <= 300; i++) {
      post(ALICE, "resume", i);
    }
    // The rest are posted while the second client joins with since=100.
    CompletableFuture<Void> posting =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int i = 301; i <= 1000; i++) {
                  post(ALICE, "resume", i);
                }
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    Client resumed = connect(ALICE);
    result(live.join(resumed.client(), ALICE, "resume", OptionalLong.of(100), "j2"));
    posting.get(60, TimeUnit.SECONDS);

    await().atMost(30, TimeUnit.SECONDS).until(() -> resumed.offsets("resume").size() >= 900);
    await().atMost(30, TimeUnit.SECONDS).until(() -> early.offsets("resume").size() >= 1000);
    assertThat(resumed.offsets("resume")).containsExactlyElementsOf(LongStream.rangeClosed(101, 1000).boxed().toList());
    assertThat(early.offsets("resume")).containsExactlyElementsOf(LongStream.rangeClosed(1, 1000).boxed().toList());
    List<RoomOutput> outputs = new ArrayList<>(resumed.outputs());
    assertThat(outputs.get(0)).isInstanceOf(RoomOutput.Joined.class);
    assertThat(((RoomOutput.Joined) outputs.get(0)).ref()).isEqualTo("j2");
    assertThat(outputs.get(1)).isInstanceOf(RoomOutput.PresenceSnapshot.class);
    assertThat(resumed.all(RoomOutput.Message.class).get(0).message().body()).isEqualTo("{\"n\":101}");
  }

  @Test
  void aSlowClientIsCutOffWhileAnotherKeepsReceiving() throws Exception {
    room("slow");
    Client normal = connect(ALICE);
    RoomLive.Connection slow = live.connect(BOB, "ws");
    // The edge is connected but its peer reads nothing: no demand ever.
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    slow.outputs()
        .runWith(
            Sink.fromSubscriber(
                new org.reactivestreams.Subscriber<RoomOutput>() {
                  @Override
                  public void onSubscribe(org.reactivestreams.Subscription subscription) {}

                  @Override
                  public void onNext(RoomOutput output) {}

                  @Override
                  public void onError(Throwable failure) {
                    ended.complete(failure);
                  }

                  @Override
                  public void onComplete() {
                    ended.complete(null);
                  }
                }),
            testKit.system());
    result(live.join(normal.client(), ALICE, "slow", OptionalLong.empty(), "a"));
    result(live.join(slow.client(), BOB, "slow", OptionalLong.empty(), "b"));
    // A few outputs sit in stream stages past the queue: post well beyond the buffer.
    int posts = rooms.settings().clientBuffer() + 100;
    for (int i = 1; i <= posts; i++) {
      post(ALICE, "slow", i);
    }
    await().atMost(30, TimeUnit.SECONDS).until(() -> normal.offsets("slow").size() >= posts);
    assertThat(normal.offsets("slow")).containsExactlyElementsOf(LongStream.rangeClosed(1, posts).boxed().toList());

    assertThat(ended.get(10, TimeUnit.SECONDS)).isInstanceOf(RoomClient.SlowConsumer.class);
    await().atMost(5, TimeUnit.SECONDS).until(() -> live.rooms(slow.client()).isEmpty());
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> result(rooms.presence(ALICE, "slow")).users().keySet().equals(Set.of("alice")));
  }

  @Test
  void aUserWithTwoConnectionsIsOneEntryWithTwoMetasAndDiffsAreBatched() throws Exception {
    room("tabs");
    Client bob = connect(BOB);
    result(live.join(bob.client(), BOB, "tabs", OptionalLong.empty(), "b"));
    Client tab1 = connect(ALICE);
    Client tab2 = connect(ALICE_TAB2);
    result(live.join(tab1.client(), ALICE, "tabs", OptionalLong.empty(), "t1"));
    result(live.join(tab2.client(), ALICE_TAB2, "tabs", OptionalLong.empty(), "t2"));

    PresenceState state = result(rooms.presence(BOB, "tabs"));
    assertThat(state.userCount()).isEqualTo(2);
    assertThat(state.connectionCount()).isEqualTo(3);
    assertThat(state.users().get("alice"))
        .extracting(PresenceMeta::connection)
        .containsExactlyInAnyOrder(tab1.client().id(), tab2.client().id());

    // Both of alice's joins reach bob in one diff (they came within one batch interval).
    await().atMost(5, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.PresenceDiff.class).isEmpty());
    RoomOutput.PresenceDiff diff = bob.all(RoomOutput.PresenceDiff.class).get(0);
    assertThat(diff.joins().get("alice")).hasSize(2);
    assertThat(diff.userCount()).isEqualTo(2);

    live.disconnect(tab1.client());
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> bob.all(RoomOutput.PresenceDiff.class).stream().anyMatch(d -> d.leaves().containsKey("alice")));
    PresenceState after = result(rooms.presence(BOB, "tabs"));
    assertThat(after.userCount()).isEqualTo(2);
    assertThat(after.users().get("alice")).extracting(PresenceMeta::connection).containsExactly(tab2.client().id());
    assertThat(result(tab1.done())).isEqualTo(Done.getInstance());
  }

  @Test
  void closingASessionEndsItsConnectionsOnly() throws Exception {
    room("sessions");
    Principal carol = new Principal("carol", "acme", "s-carol", Set.of(Roles.ORG_MEMBER));
    Client one = connect(carol);
    Client two = connect(carol);
    Client other = connect(BOB);
    result(live.join(one.client(), carol, "sessions", OptionalLong.empty(), "1"));
    result(live.join(other.client(), BOB, "sessions", OptionalLong.empty(), "3"));
    int before = live.connections().size();

    assertThat(live.connections().closeSession("s-carol", "session_revoked", "the session was revoked")).isEqualTo(2);

    result(one.done());
    result(two.done());
    RoomOutput last = new ArrayList<>(one.outputs()).get(one.outputs().size() - 1);
    assertThat(last).isEqualTo(new RoomOutput.Removed("", "session_revoked", "the session was revoked", true));
    assertThat(live.connections().size()).isEqualTo(before - 2);
    assertThat(live.connections().closeSession("s-carol", "session_revoked", "again")).isZero();
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> result(rooms.presence(BOB, "sessions")).users().keySet().equals(Set.of("bob")));
    assertThat(other.client().queue().isCompleted()).isFalse();
  }

  @Test
  void subscribeGivesMessagesAfterSinceThenLiveOnesAndEndsWhenTheRoomCloses() throws Exception {
    room("api");
    post(ALICE, "api", 1);
    post(ALICE, "api", 2);
    ConcurrentLinkedQueue<RoomMessage> got = new ConcurrentLinkedQueue<>();
    CompletionStage<Done> done = rooms.subscribe(BOB, "api", 1).runWith(Sink.foreach(got::add), testKit.system());
    await().atMost(10, TimeUnit.SECONDS).until(() -> got.size() >= 1);
    post(ALICE, "api", 3);
    await().atMost(10, TimeUnit.SECONDS).until(() -> got.size() >= 2);
    assertThat(got).extracting(RoomMessage::offset).containsExactly(2L, 3L);

    result(rooms.close(ADMIN, "req", "api"));
    assertThat(result(done)).isEqualTo(Done.getInstance());

    Throwable refused = failure(rooms.subscribe(BOB, "nowhere", 0).runWith(Sink.ignore(), testKit.system()));
    assertThat(refused).isInstanceOf(RoomException.class);
    assertThat(((RoomException) refused).kind()).isEqualTo(RoomException.Kind.NOT_FOUND);
  }

  @Test
  void kickEndsTheUsersConnectionsAndBanPutsThemOutOfTheRoom() throws Exception {
    room("moderated");
    room("elsewhere");
    Client alice = connect(ALICE);
    Client bob = connect(BOB);
    result(live.join(alice.client(), ALICE, "moderated", OptionalLong.empty(), "a"));
    result(live.join(alice.client(), ALICE, "elsewhere", OptionalLong.empty(), "a2"));
    result(live.join(bob.client(), BOB, "moderated", OptionalLong.empty(), "b"));
    // Removals are live only (at most once): wait until the room's topic reaches this hub.
    awaitLiveDelivery(bob, "moderated");

    result(rooms.setBan(ADMIN, "req", "moderated", "bob", true));
    await().atMost(10, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.Removed.class).isEmpty());
    assertThat(bob.all(RoomOutput.Removed.class).get(0).code()).isEqualTo("banned");
    assertThat(live.rooms(bob.client())).isEmpty();
    assertThat(bob.client().queue().isCompleted()).isFalse();

    result(rooms.kick(ADMIN, "req", "moderated", "alice"));
    result(alice.done());
    RoomOutput.Removed kicked = alice.all(RoomOutput.Removed.class).get(0);
    assertThat(kicked.code()).isEqualTo("kicked");
    assertThat(kicked.disconnect()).isTrue();
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> result(rooms.presence(ADMIN, "elsewhere")).connectionCount() == 0);
  }

  /**
   * Posts until a message arrives within one poll interval, less than the room's head
   * announcement delay: it came live, so the room's topic lists this node's hub.
   */
  private static void awaitLiveDelivery(Client client, String room) {
    long[] previous = {-1};
    await()
        .atMost(10, TimeUnit.SECONDS)
        .pollInterval(java.time.Duration.ofMillis(200))
        .until(
            () -> {
              boolean arrived = client.offsets(room).contains(previous[0]);
              previous[0] = post(ADMIN, room, 0);
              return arrived;
            });
  }

  private static final RoomSettings MEMBERS_ONLY =
      new RoomSettings(RoomSettings.Visibility.MEMBERS, 100, 50, RoomSettings.Posting.ANYONE);

  @Test
  void aBanRightAfterJoiningReachesAClientWhoseHubJustStarted() throws Exception {
    room("fresh");
    Client alice = connect(ALICE);
    Client bob = connect(BOB);
    result(live.join(alice.client(), ALICE, "fresh", OptionalLong.empty(), "a"));
    result(live.join(bob.client(), BOB, "fresh", OptionalLong.empty(), "b"));
    // No wait for the room's topic to list the new hub: the ban's broadcast may well be lost.
    result(rooms.setBan(ADMIN, "req", "fresh", "bob", true));

    await().atMost(8, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.Removed.class).isEmpty());
    RoomOutput.Removed removed = bob.all(RoomOutput.Removed.class).get(0);
    assertThat(removed.code()).isEqualTo("banned");
    assertThat(removed.disconnect()).isFalse();
    assertThat(live.rooms(bob.client())).isEmpty();
    long offset = post(ALICE, "fresh", 1);
    await().atMost(10, TimeUnit.SECONDS).until(() -> alice.offsets("fresh").contains(offset));
    assertThat(alice.all(RoomOutput.Removed.class)).isEmpty();
    assertThat(bob.offsets("fresh")).doesNotContain(offset);
  }

  @Test
  void aRoomMadeMembersOnlyPutsOutNonMembersButKeepsMembersAndAdmins() throws Exception {
    room("club");
    result(rooms.setMember(ADMIN, "req", "club", "alice", true));
    Client alice = connect(ALICE);
    Client bob = connect(BOB);
    Client root = connect(ADMIN);
    result(live.join(alice.client(), ALICE, "club", OptionalLong.empty(), "a"));
    result(live.join(bob.client(), BOB, "club", OptionalLong.empty(), "b"));
    result(live.join(root.client(), ADMIN, "club", OptionalLong.empty(), "r"));
    awaitLiveDelivery(root, "club");

    room("club", MEMBERS_ONLY);
    await().atMost(8, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.Removed.class).isEmpty());
    RoomOutput.Removed removed = bob.all(RoomOutput.Removed.class).get(0);
    assertThat(removed.code()).isEqualTo("not_member");
    assertThat(removed.disconnect()).isFalse();
    assertThat(bob.client().queue().isCompleted()).isFalse();
    assertThat(live.rooms(bob.client())).isEmpty();

    long offset = post(ALICE, "club", 1);
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> alice.offsets("club").contains(offset) && root.offsets("club").contains(offset));
    assertThat(alice.all(RoomOutput.Removed.class)).isEmpty();
    assertThat(root.all(RoomOutput.Removed.class)).isEmpty();
    assertThat(live.rooms(alice.client())).containsExactly("club");
    assertThat(live.rooms(root.client())).containsExactly("club");
  }

  @Test
  void anAdminRemovedFromTheMembersStaysWhileAMemberRemovedLeaves() throws Exception {
    room("staff", MEMBERS_ONLY);
    result(rooms.setMember(ADMIN, "req", "staff", "root", true));
    result(rooms.setMember(ADMIN, "req", "staff", "bob", true));
    Client root = connect(ADMIN);
    Client bob = connect(BOB);
    result(live.join(root.client(), ADMIN, "staff", OptionalLong.empty(), "r"));
    result(live.join(bob.client(), BOB, "staff", OptionalLong.empty(), "b"));
    awaitLiveDelivery(root, "staff");

    result(rooms.setMember(ADMIN, "req", "staff", "root", false));
    // Asked about after the admin, so once bob is out the admin's answer has been handled.
    result(rooms.setMember(ADMIN, "req", "staff", "bob", false));
    await().atMost(8, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.Removed.class).isEmpty());
    assertThat(bob.all(RoomOutput.Removed.class).get(0).code()).isEqualTo("not_member");

    long offset = post(ADMIN, "staff", 1);
    await().atMost(10, TimeUnit.SECONDS).until(() -> root.offsets("staff").contains(offset));
    assertThat(root.all(RoomOutput.Removed.class)).isEmpty();
    assertThat(live.rooms(root.client())).containsExactly("staff");
  }

  @Test
  void limitsAndRefusals() throws Exception {
    room("full", new RoomSettings(RoomSettings.Visibility.PUBLIC, 100, 1, RoomSettings.Posting.ANYONE));
    room("r1");
    room("r2");
    room("r3");
    Client alice = connect(ALICE);
    Client bob = connect(BOB);
    result(live.join(alice.client(), ALICE, "full", OptionalLong.empty(), "f"));
    Throwable full = failure(live.join(bob.client(), BOB, "full", OptionalLong.empty(), "f"));
    assertThat(((RoomException) full).kind()).isEqualTo(RoomException.Kind.ROOM_FULL);
    assertThat(live.rooms(bob.client())).isEmpty();

    result(live.join(alice.client(), ALICE, "r1", OptionalLong.empty(), "1"));
    result(live.join(alice.client(), ALICE, "r2", OptionalLong.empty(), "2"));
    Throwable tooMany = failure(live.join(alice.client(), ALICE, "r3", OptionalLong.empty(), "3"));
    assertThat(((RoomException) tooMany).kind()).isEqualTo(RoomException.Kind.TOO_MANY_ROOMS);
    // Joining a room again is not one more room.
    result(live.join(alice.client(), ALICE, "r2", OptionalLong.empty(), "2b"));

    Throwable missing = failure(live.join(bob.client(), BOB, "nowhere", OptionalLong.empty(), "x"));
    assertThat(((RoomException) missing).kind()).isEqualTo(RoomException.Kind.NOT_FOUND);

    live.signal(bob.client(), "r1", "{}");
    await().atMost(5, TimeUnit.SECONDS).until(() -> !bob.all(RoomOutput.Refused.class).isEmpty());
    assertThat(bob.all(RoomOutput.Refused.class).get(0).code()).isEqualTo("not_joined");

    live.leave(alice.client(), "r1", "l1");
    live.leave(alice.client(), "never-joined", "l2");
    await().atMost(5, TimeUnit.SECONDS).until(() -> alice.all(RoomOutput.Left.class).size() == 2);
    assertThat(alice.all(RoomOutput.Left.class)).extracting(RoomOutput.Left::ref).containsExactlyInAnyOrder("l1", "l2");
    assertThat(live.rooms(alice.client())).containsExactlyInAnyOrder("full", "r2");
  }

  @Test
  void aJoinOvertakenByALeaveIsAnsweredNotJoined() throws Exception {
    room("overtaken");
    Client alice = connect(ALICE);
    // Posts the room persists one after the other keep the join's access check waiting behind
    // them, so the leave surely comes first.
    List<CompletionStage<?>> posts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      posts.add(rooms.post(BOB, "req", "overtaken", Optional.empty(), "{}"));
    }
    CompletionStage<Done> join = live.join(alice.client(), ALICE, "overtaken", OptionalLong.empty(), "j");
    live.leave(alice.client(), "overtaken", "l");
    result(join);
    for (CompletionStage<?> post : posts) {
      result(post);
    }

    await().atMost(5, TimeUnit.SECONDS).until(() -> !alice.all(RoomOutput.Refused.class).isEmpty());
    RoomOutput.Refused refused = alice.all(RoomOutput.Refused.class).get(0);
    assertThat(refused.ref()).isEqualTo("j");
    assertThat(refused.code()).isEqualTo("not_joined");
    await().atMost(5, TimeUnit.SECONDS).until(() -> !alice.all(RoomOutput.Left.class).isEmpty());
    assertThat(alice.all(RoomOutput.Joined.class)).isEmpty();
    assertThat(live.rooms(alice.client())).isEmpty();
  }

  @Test
  void aRoomsHubStopsOnceItsLastClientLeft() throws Exception {
    room("quiet");
    Client alice = connect(ALICE);
    result(live.join(alice.client(), ALICE, "quiet", OptionalLong.empty(), "q"));
    assertThat(result(live.hubs())).contains("acme:quiet");
    live.disconnect(alice.client());
    result(alice.done());
    await().atMost(10, TimeUnit.SECONDS).until(() -> !result(live.hubs()).contains("acme:quiet"));
  }

  @Test
  void aClientWhoseOutputsNeverRunIsForgotten() throws Exception {
    room("unclaimed");
    RoomLive.Connection connection = live.connect(BOB, "sse");
    result(live.join(connection.client(), BOB, "unclaimed", OptionalLong.empty(), null));
    assertThat(result(live.hubs())).contains("acme:unclaimed");
    assertThat(result(rooms.presence(ADMIN, "unclaimed")).users()).containsKey("bob");
    // Its outputs are never run (an SSE response that was dropped): after client.start-timeout it
    // is disconnected, so its presence leaves and the room's hub stops.
    await().atMost(15, TimeUnit.SECONDS).until(() -> !result(live.hubs()).contains("acme:unclaimed"));
    assertThat(live.connections().find(connection.client())).isNull();
  }
}
