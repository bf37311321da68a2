package dev.troupe.actors.rooms.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.Roles;
import dev.troupe.actors.rooms.PostResult;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomSettings.Posting;
import dev.troupe.actors.rooms.RoomSettings.Visibility;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.room.RoomCommand.Configured;
import dev.troupe.persistence.TroupeConfig;
import dev.troupe.persistence.journal.JournalSetup;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rooms' administration and journal reads on a one-node cluster, run against each journal (H2 files
 * and a real Cassandra): every call goes through sharding to real room and directory entities. Each
 * test uses its own org.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RoomAdminContract {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final RoomSettings PUBLIC =
      new RoomSettings(Visibility.PUBLIC, 100, 50, Posting.ANYONE);

  /** Orgs of this run, so runs sharing a store never meet. */
  private final String run = "r" + UUID.randomUUID().toString().substring(0, 6);

  private ActorSystem<Void> system;
  private RoomAdmin admin;
  private RoomJournal journal;

  /** Settings that point the node at the journal under test. */
  protected abstract Config journalConfig();

  @BeforeAll
  void startNode() {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            getClass().getSimpleName(),
            TroupeConfig.load(
                ConfigFactory.parseString(
                        """
                        troupe.node-name = unit-node
                        troupe.rooms.max-rooms-per-org = 3
                        troupe.rooms.history-page-limit = 20
                        troupe.rooms.max-message-size = 100B
                        pekko.remote.artery.canonical.port = 0
                        pekko.coordinated-shutdown.exit-jvm = off
                        """)
                    .withFallback(journalConfig())));
    JournalSetup.prepare(system, true, TIMEOUT);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> cluster.selfMember().status() == MemberStatus.up());
    RoomsSettings settings = RoomsSettings.from(system.settings().config());
    journal = new RoomJournal(system, settings);
    admin = new RoomAdmin(system, settings, journal);
    admin.start();
    admin.start(); // a second call changes nothing
  }

  @AfterAll
  void stopNode() throws Exception {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private String org(String name) {
    return name + "-" + run;
  }

  private Principal adminOf(String org) {
    return new Principal("ada", org(org), "s-ada", Set.of(Roles.ORG_ADMIN));
  }

  private Principal user(String name, String org) {
    return new Principal(name, org(org), "s-" + name, Set.of());
  }

  private <T> T result(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private RoomException.Kind refusal(CompletionStage<?> stage) throws Exception {
    Throwable error =
        stage
            .handle((value, failure) -> failure)
            .toCompletableFuture()
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(error).as("failure, not wrapped").isInstanceOf(RoomException.class);
    return ((RoomException) error).kind();
  }

  private PostResult post(Principal who, String room, String body) throws Exception {
    return result(admin.post(who, "req", room, Optional.empty(), body));
  }

  private static List<Long> offsets(List<RoomMessage> messages) {
    return messages.stream().map(RoomMessage::offset).toList();
  }

  private List<Long> read(String org, String room, long after, long before, long limit)
      throws Exception {
    return offsets(
        result(journal.messages(org(org), room, after, before, limit).runWith(Sink.seq(), system)));
  }

  private List<Long> history(Principal who, String room, Long after, Long before, int limit)
      throws Exception {
    return offsets(
        result(
            admin.history(
                who,
                room,
                after == null ? OptionalLong.empty() : OptionalLong.of(after),
                before == null ? OptionalLong.empty() : OptionalLong.of(before),
                limit)));
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void journalReadsMessagesByOffsetPastOtherEvents() throws Exception {
    Principal ada = adminOf("journal");
    Principal ann = user("ann", "journal");
    result(admin.configure(ada, "req", "lobby", PUBLIC));
    for (int i = 1; i <= 10; i++) {
      post(i % 2 == 0 ? ada : ann, "lobby", "{\"n\":" + i + "}");
      switch (i) {
        case 2 -> result(admin.setMember(ada, "req", "lobby", "bob", true));
        case 3 -> {
          result(admin.setBan(ada, "req", "lobby", "eve", true));
          result(admin.kick(ada, "req", "lobby", "eve"));
        }
        case 6 ->
            result(
                admin.configure(
                    ada,
                    "req",
                    "lobby",
                    new RoomSettings(Visibility.PUBLIC, 90, 50, Posting.ANYONE)));
        default -> {}
      }
    }

    List<RoomMessage> all =
        result(
            journal
                .messages(org("journal"), "lobby", 0, Long.MAX_VALUE, Long.MAX_VALUE)
                .runWith(Sink.seq(), system));
    assertThat(offsets(all)).isEqualTo(range(1, 10));
    assertThat(all.get(0).sender()).isEqualTo("ann");
    assertThat(all.get(1).sender()).isEqualTo("ada");
    assertThat(all.get(6))
        .extracting(RoomMessage::room, RoomMessage::body)
        .containsExactly("lobby", "{\"n\":7}");

    assertThat(read("journal", "lobby", 3, 8, Long.MAX_VALUE)).isEqualTo(range(4, 7));
    assertThat(read("journal", "lobby", 3, Long.MAX_VALUE, 2)).isEqualTo(range(4, 5));
    assertThat(read("journal", "lobby", 5, 7, 10)).containsExactly(6L);
    assertThat(read("journal", "lobby", 9, Long.MAX_VALUE, 10)).containsExactly(10L);
    assertThat(read("journal", "lobby", 10, Long.MAX_VALUE, 10)).isEmpty();
    assertThat(read("journal", "lobby", 0, 1, 10)).isEmpty();
    assertThat(read("journal", "lobby", 6, 7, 10)).isEmpty();
    assertThat(read("journal", "lobby", 0, 5, 0)).isEmpty();
    assertThat(read("journal", "nothing-here", 0, Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void historyPagesWithinWhatTheRoomKeeps() throws Exception {
    Principal ada = adminOf("history");
    Principal ann = user("ann", "history");
    result(
        admin.configure(
            ada, "req", "small", new RoomSettings(Visibility.PUBLIC, 4, 50, Posting.ANYONE)));
    for (int i = 1; i <= 10; i++) {
      post(ann, "small", "{}");
    }
    assertThat(result(admin.access(ann, "small")).firstKept()).isEqualTo(7);

    assertThat(history(ann, "small", null, null, 100)).isEqualTo(range(7, 10));
    assertThat(history(ann, "small", 0L, null, 100)).isEqualTo(range(7, 10));
    assertThat(history(ann, "small", 8L, null, 100)).isEqualTo(range(9, 10));
    assertThat(history(ann, "small", null, 10L, 2)).isEqualTo(range(8, 9));
    assertThat(history(ann, "small", null, 9L, 5)).isEqualTo(range(7, 8));
    assertThat(history(ann, "small", 6L, 9L, 1)).isEqualTo(range(7, 7));
    assertThat(history(ann, "small", 9L, 8L, 5)).isEmpty();

    result(admin.configure(ada, "req", "big", PUBLIC));
    for (int i = 1; i <= 25; i++) {
      post(ann, "big", "{}");
    }
    assertThat(history(ann, "big", 0L, null, 100)).as("page limit 20").isEqualTo(range(1, 20));
    assertThat(history(ann, "big", null, null, 3)).isEqualTo(range(1, 3));
    assertThat(history(ann, "big", null, 26L, 100)).isEqualTo(range(6, 25));
    assertThat(history(ann, "big", null, 1000L, 3))
        .as("before past the head")
        .isEqualTo(range(23, 25));

    assertThat(refusal(admin.history(ann, "big", OptionalLong.empty(), OptionalLong.empty(), 0)))
        .isEqualTo(RoomException.Kind.INVALID);
    assertThat(refusal(admin.history(ann, "big", OptionalLong.of(-1), OptionalLong.empty(), 5)))
        .isEqualTo(RoomException.Kind.INVALID);
    assertThat(refusal(admin.history(ann, "nope", OptionalLong.empty(), OptionalLong.empty(), 5)))
        .isEqualTo(RoomException.Kind.NOT_FOUND);
  }

  @Test
  void membersOnlyRoomsAndOtherOrgsAreClosedToOutsiders() throws Exception {
    Principal ada = adminOf("private");
    Principal ann = user("ann", "private");
    result(
        admin.configure(
            ada, "req", "staff", new RoomSettings(Visibility.MEMBERS, 100, 50, Posting.ANYONE)));
    post(ada, "staff", "{\"admins\":\"may post\"}");
    result(admin.configure(ada, "req", "lobby", PUBLIC));
    result(admin.configure(ada, "req", "hall", PUBLIC));
    result(admin.setBan(ada, "req", "hall", "ann", true));
    assertThat(result(admin.list(ann)))
        .as("neither a members-only room nor one ann is banned from")
        .extracting(RoomInfo::room)
        .containsExactly("lobby");
    assertThat(result(admin.list(ada)))
        .as("admins see all")
        .extracting(RoomInfo::room)
        .containsExactly("hall", "lobby", "staff");

    assertThat(refusal(admin.access(ann, "staff"))).isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(refusal(admin.history(ann, "staff", OptionalLong.empty(), OptionalLong.empty(), 5)))
        .isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(refusal(admin.post(ann, "req", "staff", Optional.empty(), "{}")))
        .isEqualTo(RoomException.Kind.FORBIDDEN);

    result(admin.setMember(ada, "req", "staff", "ann", true));
    assertThat(result(admin.access(ann, "staff")).head()).isEqualTo(1);
    assertThat(history(ann, "staff", null, null, 5)).containsExactly(1L);
    assertThat(result(admin.list(ann))).extracting(RoomInfo::room).containsExactly("lobby", "staff");

    Principal stranger = adminOf("other");
    assertThat(refusal(admin.access(stranger, "staff"))).isEqualTo(RoomException.Kind.NOT_FOUND);
    assertThat(refusal(admin.post(stranger, "req", "staff", Optional.empty(), "{}")))
        .isEqualTo(RoomException.Kind.NOT_FOUND);
    assertThat(result(admin.list(stranger))).isEmpty();
  }

  @Test
  void theDirectoryBoundsAnOrgsOpenRooms() throws Exception {
    Principal ada = adminOf("directory");
    assertThat(result(admin.configure(ada, "req", "a", PUBLIC)).created()).isTrue();
    result(admin.configure(ada, "req", "b", PUBLIC));
    result(admin.configure(ada, "req", "c", PUBLIC));
    assertThat(result(admin.configure(ada, "req", "a", PUBLIC)).created())
        .as("again: unchanged")
        .isFalse();

    assertThat(refusal(admin.configure(ada, "req", "d", PUBLIC)))
        .isEqualTo(RoomException.Kind.TOO_MANY_ROOMS);
    assertThat(result(admin.list(ada))).extracting(RoomInfo::room).containsExactly("a", "b", "c");

    result(admin.close(ada, "req", "b"));
    assertThat(refusal(admin.close(ada, "req", "b"))).isEqualTo(RoomException.Kind.NOT_FOUND);
    assertThat(refusal(admin.access(ada, "b"))).isEqualTo(RoomException.Kind.NOT_FOUND);
    assertThat(refusal(admin.info(org("directory"), "b"))).isEqualTo(RoomException.Kind.NOT_FOUND);
    assertThat(result(admin.info(org("directory"), "c")).room()).isEqualTo("c");
    assertThat(result(admin.configure(ada, "req", "d", PUBLIC)).created()).isTrue();
    assertThat(result(admin.list(ada))).extracting(RoomInfo::room).containsExactly("a", "c", "d");

    result(admin.close(ada, "req", "a"));
    Configured reopened = result(admin.configure(ada, "req", "b", null));
    assertThat(reopened.created()).isTrue();
    assertThat(reopened.info().settings())
        .isEqualTo(RoomsSettings.from(system.settings().config()).defaults());
  }

  @Test
  void postsAreCheckedAndRetriedKeysAnswerTheFirstResult() throws Exception {
    Principal ada = adminOf("posts");
    Principal ann = user("ann", "posts");
    assertThat(refusal(admin.post(ann, "req", "none", Optional.empty(), "{}")))
        .isEqualTo(RoomException.Kind.NOT_FOUND);
    result(admin.configure(ada, "req", "room", PUBLIC));

    assertThat(
            refusal(
                admin.post(
                    ann, "req", "room", Optional.empty(), "{\"t\":\"" + "x".repeat(100) + "\"}")))
        .isEqualTo(RoomException.Kind.TOO_LARGE);
    // 100 bytes exactly: 8 of envelope and 46 two-byte characters
    assertThat(
            result(
                    admin.post(
                        ann, "req", "room", Optional.empty(), "{\"t\":\"" + "é".repeat(46) + "\"}"))
                .offset())
        .isEqualTo(1);
    assertThat(
            refusal(
                admin.post(
                    ann, "req", "room", Optional.empty(), "{\"t\":\"" + "é".repeat(47) + "\"}")))
        .isEqualTo(RoomException.Kind.TOO_LARGE);
    for (String bad : List.of("[1]", "\"text\"", "{} {}", "{\"a\":", "", "null")) {
      assertThat(refusal(admin.post(ann, "req", "room", Optional.empty(), bad)))
          .as(bad)
          .isEqualTo(RoomException.Kind.INVALID);
    }
    assertThat(refusal(admin.post(ann, "req", "room", Optional.of("has space"), "{}")))
        .isEqualTo(RoomException.Kind.INVALID);
    assertThat(refusal(admin.post(ann, "req", "bad:name", Optional.empty(), "{}")))
        .isEqualTo(RoomException.Kind.INVALID);

    PostResult first = result(admin.post(ann, "req", "room", Optional.of("k-1"), "{\"a\":1}"));
    assertThat(first.sender()).isEqualTo("ann");
    assertThat(first.replayed()).isFalse();
    PostResult retry = result(admin.post(ann, "req", "room", Optional.of("k-1"), "{\"a\":1}"));
    assertThat(retry)
        .isEqualTo(new PostResult("room", first.offset(), "ann", first.timestamp(), true));
    assertThat(history(ann, "room", 0L, null, 10)).containsExactly(1L, 2L);
  }

  @Test
  void managingRoomsNeedsTheAdminPermission() throws Exception {
    Principal ada = adminOf("perm");
    Principal ann = user("ann", "perm");
    assertThat(refusal(admin.configure(ann, "req", "x", PUBLIC)))
        .isEqualTo(RoomException.Kind.FORBIDDEN);
    result(admin.configure(ada, "req", "x", PUBLIC));
    assertThat(refusal(admin.close(ann, "req", "x"))).isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(refusal(admin.kick(ann, "req", "x", "bob"))).isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(refusal(admin.setBan(ann, "req", "x", "bob", true)))
        .isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(refusal(admin.setMember(ann, "req", "x", "bob", true)))
        .isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(result(admin.list(ann)))
        .as("listing needs only rooms.use")
        .extracting(RoomInfo::room)
        .containsExactly("x");
    assertThat(
            refusal(
                admin.configure(
                    ada, "req", "x", new RoomSettings(Visibility.PUBLIC, 0, 1, Posting.ANYONE))))
        .isEqualTo(RoomException.Kind.INVALID);
    assertThat(refusal(admin.setMember(ada, "req", "x", "Bad User", true)))
        .isEqualTo(RoomException.Kind.INVALID);
    assertThat(admin.isAdmin(ada)).isTrue();
    assertThat(admin.isAdmin(ann)).isFalse();
  }
}
