package dev.troupe.actors.rooms.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.rooms.PostResult;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.RoomSettings.Posting;
import dev.troupe.actors.rooms.RoomSettings.Visibility;
import dev.troupe.actors.rooms.room.RoomCommand.Configured;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.Done;
import org.junit.jupiter.api.Test;

/** The room's pure decisions and fold: every command and refusal. */
class RoomDeciderTest {

  private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
  private static final RequestContext ADMIN = new RequestContext("req-a", "ada", "acme");
  private static final RequestContext ANN = new RequestContext("req-1", "ann", "acme");
  private static final RequestContext BOB = new RequestContext("req-2", "bob", "acme");
  private static final RoomSettings PUBLIC =
      new RoomSettings(Visibility.PUBLIC, 100, 50, Posting.ANYONE);
  private static final Duration TTL = Duration.ofHours(1);

  private Instant now = T0;
  private final RoomDecider decider =
      new RoomDecider(
          "lobby",
          new KeyLimits(3, TTL),
          1000,
          500,
          context ->
              new AuditRecord(
                  context.principal(), context.tenant(), context.requestId(), "node-a", now));

  /** Applies a decision's events; fails on a refusal. */
  private <R> R accept(RoomState[] state, RoomDecider.Decision<R> decision) {
    assertThat(decision.refusal()).as("refusal").isNull();
    for (RoomEvent event : decision.events()) {
      state[0] = decider.after(state[0], event);
    }
    return decision.reply();
  }

  private static RoomException.Kind refusal(RoomDecider.Decision<?> decision) {
    assertThat(decision.refused()).isTrue();
    assertThat(decision.events()).isEmpty();
    return decision.refusal().kind();
  }

  private RoomState[] created(RoomSettings settings) {
    RoomState[] state = {RoomState.EMPTY};
    accept(state, decider.configure(state[0], configure(settings)));
    return state;
  }

  private static RoomCommand.Configure configure(RoomSettings settings) {
    return new RoomCommand.Configure(ADMIN, settings, null);
  }

  private RoomDecider.Decision<PostResult> post(
      RoomState state, RequestContext who, boolean admin, String key) {
    return decider.post(
        state,
        new RoomCommand.Post(who, admin, Optional.ofNullable(key), "{\"text\":\"hi\"}", null),
        now);
  }

  private RoomDecider.Decision<Done> member(RoomState state, String user, boolean member) {
    return decider.setMember(state, new RoomCommand.SetMember(ADMIN, user, member, null));
  }

  private RoomDecider.Decision<Done> ban(RoomState state, String user, boolean banned) {
    return decider.setBan(state, new RoomCommand.SetBan(ADMIN, user, banned, null));
  }

  @Test
  void configureCreatesThenUpdatesAndUnchangedSettingsPersistNothing() {
    RoomState[] state = {RoomState.EMPTY};
    var create = decider.configure(state[0], configure(PUBLIC));
    assertThat(create.events()).singleElement().isInstanceOf(RoomEvent.Created.class);
    Configured created = accept(state, create);
    assertThat(created.created()).isTrue();
    assertThat(created.info()).isEqualTo(new RoomInfo("lobby", PUBLIC, 0, T0, 0));

    assertThat(decider.configure(state[0], configure(PUBLIC)).events()).isEmpty();
    assertThat(decider.configure(state[0], configure(PUBLIC)).reply().created()).isFalse();

    RoomSettings members = new RoomSettings(Visibility.MEMBERS, 10, 5, Posting.ADMINS);
    now = T0.plusSeconds(60);
    var update = decider.configure(state[0], configure(members));
    assertThat(update.events()).singleElement().isInstanceOf(RoomEvent.SettingsChanged.class);
    Configured updated = accept(state, update);
    assertThat(updated.created()).isFalse();
    assertThat(updated.info().settings()).isEqualTo(members);
    assertThat(updated.info().created()).isEqualTo(T0);
  }

  @Test
  void settingsOutsideTheLimitsAreInvalid() {
    RoomState empty = RoomState.EMPTY;
    for (RoomSettings bad :
        List.of(
            new RoomSettings(Visibility.PUBLIC, 0, 5, Posting.ANYONE),
            new RoomSettings(Visibility.PUBLIC, 1001, 5, Posting.ANYONE),
            new RoomSettings(Visibility.PUBLIC, 10, 0, Posting.ANYONE),
            new RoomSettings(Visibility.PUBLIC, 10, 501, Posting.ANYONE))) {
      assertThat(refusal(decider.configure(empty, configure(bad))))
          .as("%s", bad)
          .isEqualTo(RoomException.Kind.INVALID);
    }
    assertThat(
            decider
                .configure(
                    empty,
                    configure(new RoomSettings(Visibility.PUBLIC, 1000, 500, Posting.ANYONE)))
                .refused())
        .isFalse();
  }

  @Test
  void aRoomThatDoesNotExistOrIsClosedIsNotFoundForEverythingButConfigure() {
    RoomState never = RoomState.EMPTY;
    RoomState[] closed = created(PUBLIC);
    accept(closed, post(closed[0], ANN, false, null));
    accept(closed, decider.close(closed[0], new RoomCommand.Close(ADMIN, null)));
    assertThat(closed[0].closed()).isTrue();

    for (RoomState state : List.of(never, closed[0])) {
      assertThat(refusal(decider.close(state, new RoomCommand.Close(ADMIN, null))))
          .isEqualTo(RoomException.Kind.NOT_FOUND);
      assertThat(refusal(member(state, "ann", true))).isEqualTo(RoomException.Kind.NOT_FOUND);
      assertThat(refusal(ban(state, "ann", true))).isEqualTo(RoomException.Kind.NOT_FOUND);
      assertThat(refusal(decider.kick(state, new RoomCommand.Kick(ADMIN, "ann", null))))
          .isEqualTo(RoomException.Kind.NOT_FOUND);
      assertThat(refusal(post(state, ANN, true, null))).isEqualTo(RoomException.Kind.NOT_FOUND);
      assertThat(refusal(decider.access(state, "ann", true)))
          .isEqualTo(RoomException.Kind.NOT_FOUND);
      assertThat(refusal(decider.info(state))).isEqualTo(RoomException.Kind.NOT_FOUND);
    }
  }

  @Test
  void reopeningAClosedRoomKeepsItsHistoryMembersAndCreationTime() {
    RoomState[] state = created(PUBLIC);
    accept(state, member(state[0], "ann", true));
    accept(state, post(state[0], ANN, false, null));
    accept(state, decider.close(state[0], new RoomCommand.Close(ADMIN, null)));
    now = T0.plusSeconds(3600);

    RoomSettings other = new RoomSettings(Visibility.MEMBERS, 20, 10, Posting.MEMBERS);
    var reopen = decider.configure(state[0], configure(other));
    assertThat(reopen.events()).singleElement().isInstanceOf(RoomEvent.Created.class);
    Configured reopened = accept(state, reopen);

    assertThat(reopened.created()).isTrue();
    assertThat(reopened.info()).isEqualTo(new RoomInfo("lobby", other, 1, T0, 1));
    assertThat(accept(state, post(state[0], ANN, false, null)).offset()).isEqualTo(2);
  }

  @Test
  void offsetsStayDenseAcrossEventsThatAreNotMessages() {
    RoomState[] state = created(PUBLIC);
    assertThat(accept(state, post(state[0], ANN, false, null)).offset()).isEqualTo(1);
    accept(state, member(state[0], "bob", true));
    accept(state, ban(state[0], "eve", true));
    accept(state, decider.kick(state[0], new RoomCommand.Kick(ADMIN, "carl", null)));
    accept(
        state,
        decider.configure(
            state[0], configure(new RoomSettings(Visibility.PUBLIC, 7, 7, Posting.ANYONE))));
    PostResult second = accept(state, post(state[0], BOB, false, null));
    assertThat(second).isEqualTo(new PostResult("lobby", 2, "bob", T0, false));
    var third = post(state[0], ANN, false, null);
    RoomEvent.Posted posted = (RoomEvent.Posted) third.events().get(0);
    assertThat(posted.offset()).isEqualTo(3);
    assertThat(posted.sender()).isEqualTo("ann");
    assertThat(posted.timestamp()).isEqualTo(T0);
    assertThat(posted.body()).isEqualTo("{\"text\":\"hi\"}");
    assertThat(posted.audit().requestId()).isEqualTo("req-1");
    accept(state, third);
    assertThat(state[0].head()).isEqualTo(3);
    assertThat(decider.info(state[0]).reply().head()).isEqualTo(3);
  }

  @Test
  void membersOnlyRoomsAdmitMembersAndAdmins() {
    RoomState[] state = created(new RoomSettings(Visibility.MEMBERS, 100, 50, Posting.ANYONE));
    assertThat(refusal(decider.access(state[0], "ann", false)))
        .isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(refusal(post(state[0], ANN, false, null))).isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(decider.access(state[0], "ada", true).refused()).isFalse();

    var add = member(state[0], "ann", true);
    assertThat(add.events()).singleElement().isInstanceOf(RoomEvent.MemberAdded.class);
    accept(state, add);
    assertThat(member(state[0], "ann", true).events()).as("already a member").isEmpty();
    assertThat(decider.access(state[0], "ann", false).reply().members()).isEqualTo(1);
    assertThat(post(state[0], ANN, false, null).refused()).isFalse();

    var remove = member(state[0], "ann", false);
    assertThat(remove.events()).singleElement().isInstanceOf(RoomEvent.MemberRemoved.class);
    accept(state, remove);
    assertThat(member(state[0], "ann", false).events()).as("not a member").isEmpty();
    assertThat(refusal(decider.access(state[0], "ann", false)))
        .isEqualTo(RoomException.Kind.FORBIDDEN);
  }

  @Test
  void bannedUsersMayNeitherJoinNorPostEvenAsAdmins() {
    RoomState[] state = created(PUBLIC);
    var banned = ban(state[0], "ann", true);
    assertThat(banned.events()).singleElement().isInstanceOf(RoomEvent.Banned.class);
    accept(state, banned);
    assertThat(ban(state[0], "ann", true).events()).isEmpty();

    assertThat(refusal(decider.access(state[0], "ann", false)))
        .isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(refusal(decider.access(state[0], "ann", true)))
        .isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(refusal(post(state[0], ANN, false, null))).isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(decider.access(state[0], "bob", false).refused()).isFalse();

    var unbanned = ban(state[0], "ann", false);
    assertThat(unbanned.events()).singleElement().isInstanceOf(RoomEvent.Unbanned.class);
    accept(state, unbanned);
    assertThat(post(state[0], ANN, false, null).refused()).isFalse();
  }

  @Test
  void postingRulesAnyoneMembersAdmins() {
    RoomState[] anyone = created(PUBLIC);
    assertThat(post(anyone[0], ANN, false, null).refused()).isFalse();

    RoomState[] members = created(new RoomSettings(Visibility.PUBLIC, 100, 50, Posting.MEMBERS));
    assertThat(decider.access(members[0], "ann", false).refused()).as("public: may read").isFalse();
    assertThat(refusal(post(members[0], ANN, false, null))).isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(post(members[0], ADMIN, true, null).refused()).isFalse();
    accept(members, member(members[0], "ann", true));
    assertThat(post(members[0], ANN, false, null).refused()).isFalse();

    RoomState[] admins = created(new RoomSettings(Visibility.PUBLIC, 100, 50, Posting.ADMINS));
    accept(admins, member(admins[0], "ann", true));
    assertThat(refusal(post(admins[0], ANN, false, null))).isEqualTo(RoomException.Kind.FORBIDDEN);
    assertThat(post(admins[0], ADMIN, true, null).refused()).isFalse();
  }

  @Test
  void usernamesOfMembersBansAndKicksAreChecked() {
    RoomState[] state = created(PUBLIC);
    assertThat(refusal(member(state[0], "Not Valid", true))).isEqualTo(RoomException.Kind.INVALID);
    assertThat(refusal(ban(state[0], "", true))).isEqualTo(RoomException.Kind.INVALID);
    assertThat(refusal(decider.kick(state[0], new RoomCommand.Kick(ADMIN, "a:b", null))))
        .isEqualTo(RoomException.Kind.INVALID);
    var kick = decider.kick(state[0], new RoomCommand.Kick(ADMIN, "ann", null));
    assertThat(kick.events())
        .singleElement()
        .isEqualTo(
            new RoomEvent.Kicked(new AuditRecord("ada", "acme", "req-a", "node-a", T0), "ann"));
  }

  @Test
  void aRetriedKeyAnswersTheFirstResultWithoutPostingAgain() {
    RoomState[] state = created(PUBLIC);
    PostResult first = accept(state, post(state[0], ANN, false, "k1"));
    accept(state, post(state[0], BOB, false, null));
    now = T0.plusSeconds(30);

    var retry = post(state[0], ANN, false, "k1");
    assertThat(retry.events()).isEmpty();
    assertThat(retry.reply()).isEqualTo(new PostResult("lobby", first.offset(), "ann", T0, true));

    // the same key from another sender is another post
    var other = post(state[0], BOB, false, "k1");
    assertThat(other.events()).hasSize(1);
    assertThat(other.reply().offset()).isEqualTo(3);
    assertThat(other.reply().replayed()).isFalse();
  }

  @Test
  void keysAreForgottenOldestFirstBeyondTheCount() {
    RoomState[] state = created(PUBLIC);
    for (String key : List.of("k1", "k2", "k3", "k4")) {
      accept(state, post(state[0], ANN, false, key));
      now = now.plusSeconds(1);
    }
    assertThat(state[0].keys())
        .extracting(RoomState.Remembered::key)
        .containsExactly("k2", "k3", "k4");
    assertThat(post(state[0], ANN, false, "k1").events())
        .as("k1 forgotten: posts again")
        .hasSize(1);
    assertThat(post(state[0], ANN, false, "k2").reply().replayed()).isTrue();
  }

  @Test
  void keysAreForgottenAfterTheirTtl() {
    RoomState[] state = created(PUBLIC);
    accept(state, post(state[0], ANN, false, "old"));
    now = T0.plus(TTL).minusMillis(1);
    assertThat(post(state[0], ANN, false, "old").reply().replayed())
        .as("just within the ttl")
        .isTrue();

    now = T0.plus(TTL);
    var again = post(state[0], ANN, false, "old");
    assertThat(again.events()).as("expired: posts again").hasSize(1);
    assertThat(again.reply().replayed()).isFalse();

    // a later keyed post drops the expired key from the state
    now = T0.plus(TTL).plusSeconds(1);
    accept(state, post(state[0], ANN, false, "new"));
    assertThat(state[0].keys()).extracting(RoomState.Remembered::key).containsExactly("new");
  }

  @Test
  void aReplayedKeyStaysAnsweredThroughOtherPosts() {
    RoomState[] state = created(PUBLIC);
    accept(state, post(state[0], ANN, false, "k"));
    for (int i = 0; i < 10; i++) {
      accept(state, post(state[0], BOB, false, null));
    }
    assertThat(post(state[0], ANN, false, "k").reply())
        .isEqualTo(new PostResult("lobby", 1, "ann", T0, true));
  }
}
