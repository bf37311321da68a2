package dev.troupe.actors.identity.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.identity.IdentityTestKit;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The account entity: creation, roles, login bookkeeping with back-off and lockout, sessions (at
 * most 2 per user here), password changes and disabling.
 */
class AccountTest {

  private static final ActorTestKit testKit = IdentityTestKit.create();
  private static final RequestContext ADMIN = new RequestContext("req-1", "ann", "acme");
  private static final RequestContext LOGIN = new RequestContext("req-2", "alice", "acme");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

  private final EventSourcedBehaviorTestKit<Account.Command, Account.Event, Account.State> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Account.create("acme:alice"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private CommandResultWithReply<Account.Command, Account.Event, Account.State, StatusReply<Done>>
      create(Set<String> roles) {
    return kit.runCommand(replyTo -> new Account.Create(ADMIN, HASH, roles, T0, replyTo));
  }

  private Account.Credentials credentials(Instant now) {
    return kit.<Account.Credentials>runCommand(replyTo -> new Account.GetCredentials(now, replyTo))
        .reply();
  }

  private Account.FailureRecorded fail(Instant now) {
    return kit.<StatusReply<Account.FailureRecorded>>runCommand(
            replyTo -> new Account.RecordFailure(LOGIN, now, replyTo))
        .reply()
        .getValue();
  }

  private CommandResultWithReply<
          Account.Command, Account.Event, Account.State, StatusReply<Account.LoginRecorded>>
      login(String sessionId, Instant now) {
    return kit.runCommand(replyTo -> new Account.RecordLogin(LOGIN, sessionId, now, replyTo));
  }

  private CommandResultWithReply<
          Account.Command, Account.Event, Account.State, StatusReply<Account.RoleView>>
      projectRoles(String project, Set<String> roles) {
    return kit.runCommand(replyTo -> new Account.SetProjectRoles(ADMIN, project, roles, replyTo));
  }

  private CommandResultWithReply<
          Account.Command, Account.Event, Account.State, StatusReply<Account.RoleView>>
      orgRoles(Set<String> roles) {
    return kit.runCommand(replyTo -> new Account.SetOrgRoles(ADMIN, roles, replyTo));
  }

  private List<Account.SessionRef> sessions() {
    return kit.<List<Account.SessionRef>>runCommand(Account.ListSessions::new).reply();
  }

  // ---------------------------------------------------------------- create and read

  @Test
  void createPersistsTheAccountAtTheCommandsTime() {
    var result = create(Set.of("org-admin"));

    assertThat(result.reply().isSuccess()).isTrue();
    Account.Created created = result.eventOfType(Account.Created.class);
    assertThat(created.username()).isEqualTo("alice");
    assertThat(created.passwordHash()).isEqualTo(HASH);
    assertThat(created.orgRoles()).containsExactly("org-admin");
    assertThat(created.at()).isEqualTo(T0);
    assertThat(created.toString()).doesNotContain(HASH);

    Account.View view = kit.<StatusReply<Account.View>>runCommand(Account.Get::new).reply().getValue();
    assertThat(view)
        .isEqualTo(new Account.View("alice", T0, false, Set.of("org-admin"), Map.of()));
    assertThat(credentials(T0)).isEqualTo(new Account.Credentials(true, HASH, false, null));
    assertThat(kit.getState().toString()).doesNotContain(HASH);
  }

  @Test
  void refusesASecondCreate() {
    create(Set.of());

    var result = kit.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Create(ADMIN, "other", Set.of("org-admin"), T0, replyTo));

    assertThat(result.reply().getError().getMessage()).isEqualTo("conflict: account already exists");
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(kit.getState().passwordHash()).isEqualTo(HASH);
  }

  @Test
  void createRefusesInvalidRolesAndHashes() {
    assertThat(create(Set.of("sys-admin")).reply().getError().getMessage())
        .isEqualTo("invalid: sys-admin only in org system");
    assertThat(create(Set.of("project-user")).reply().getError().getMessage()).startsWith("invalid: ");
    assertThat(create(Set.of("root")).reply().getError().getMessage()).startsWith("invalid: ");
    var blank = kit.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Create(ADMIN, " ", Set.of(), T0, replyTo));
    assertThat(blank.reply().getError().getMessage()).isEqualTo("invalid: password hash");
    var huge = kit.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Create(ADMIN, "h".repeat(Account.MAX_HASH_LENGTH + 1), Set.of(), T0, replyTo));
    assertThat(huge.reply().getError().getMessage()).isEqualTo("invalid: password hash");
    assertThat(kit.getState().exists()).isFalse();
  }

  @Test
  void sysAdminIsAllowedInTheSystemOrg() {
    var root =
        EventSourcedBehaviorTestKit.<Account.Command, Account.Event, Account.State>create(
            testKit.system(), Account.create("system:root"));
    RequestContext boot = new RequestContext("boot", "bootstrap", "system");

    var result = root.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Create(boot, HASH, Set.of("sys-admin"), T0, replyTo));
    assertThat(result.reply().isSuccess()).isTrue();
    var roles = root.<StatusReply<Account.RoleView>>runCommand(
        replyTo -> new Account.SetOrgRoles(boot, Set.of("sys-admin", "org-admin"), replyTo));
    assertThat(roles.reply().getValue().tokenRoles()).containsExactly("org-admin", "sys-admin");
    root.clear();
  }

  @Test
  void readsAreNotFoundBeforeCreate() {
    assertThat(kit.<StatusReply<Account.View>>runCommand(Account.Get::new).reply().getError().getMessage())
        .isEqualTo("not found: account");
    assertThat(kit.<StatusReply<Account.RoleView>>runCommand(Account.Roles::new).reply().getError().getMessage())
        .isEqualTo("not found: account");
    assertThat(credentials(T0)).isEqualTo(new Account.Credentials(false, null, false, null));
    assertThat(sessions()).isEmpty();
  }

  @Test
  void writesAreNotFoundBeforeCreate() {
    assertThat(login("s1", T0).reply().getError().getMessage()).isEqualTo("not found: account");
    assertThat(kit.<StatusReply<Account.FailureRecorded>>runCommand(
            replyTo -> new Account.RecordFailure(LOGIN, T0, replyTo)).reply().getError().getMessage())
        .isEqualTo("not found: account");
    assertThat(projectRoles("web", Set.of("project-user")).reply().getError().getMessage())
        .isEqualTo("not found: account");
    assertThat(orgRoles(Set.of()).reply().getError().getMessage()).isEqualTo("not found: account");
    assertThat(kit.<StatusReply<List<String>>>runCommand(
            replyTo -> new Account.ChangePassword(ADMIN, HASH, replyTo)).reply().getError().getMessage())
        .isEqualTo("not found: account");
    assertThat(kit.<StatusReply<List<String>>>runCommand(
            replyTo -> new Account.SetDisabled(ADMIN, true, replyTo)).reply().getError().getMessage())
        .isEqualTo("not found: account");
    var ended = kit.<Done>runCommand(replyTo -> new Account.SessionEnded(ADMIN, "s1", replyTo));
    assertThat(ended.reply()).isEqualTo(Done.getInstance());
    assertThat(ended.hasNoEvents()).isTrue();
    assertThat(kit.getState()).isEqualTo(Account.State.EMPTY);
  }

  // ---------------------------------------------------------------- roles

  @Test
  void projectRolesAreSetReplacedAndRemoved() {
    create(Set.of("org-admin"));

    var set = projectRoles("web", Set.of("project-user", "project-admin"));
    assertThat(set.reply().getValue())
        .isEqualTo(
            new Account.RoleView(
                false,
                Set.of("org-admin"),
                Map.of("web", Set.of("project-admin", "project-user")),
                Set.of("org-admin", "project-admin:web", "project-user:web")));
    assertThat(set.eventOfType(Account.ProjectRolesChanged.class).roles())
        .containsExactly("project-admin", "project-user");

    projectRoles("api", Set.of("project-user"));
    var replaced = projectRoles("web", Set.of("project-user"));
    assertThat(replaced.reply().getValue().tokenRoles())
        .containsExactly("org-admin", "project-user:api", "project-user:web");

    var removed = projectRoles("web", Set.of());
    assertThat(removed.reply().getValue().projectRoles()).isEqualTo(Map.of("api", Set.of("project-user")));
    assertThat(removed.eventOfType(Account.ProjectRolesChanged.class).roles()).isEmpty();
    assertThat(kit.getState().projectRoles()).containsOnlyKeys("api");
  }

  @Test
  void unchangedRolesPersistNothing() {
    create(Set.of("org-admin"));
    projectRoles("web", Set.of("project-user"));

    assertThat(projectRoles("web", Set.of("project-user")).hasNoEvents()).isTrue();
    assertThat(projectRoles("api", Set.of()).hasNoEvents()).isTrue();
    assertThat(orgRoles(Set.of("org-admin")).hasNoEvents()).isTrue();
  }

  @Test
  void projectRolesRefusals() {
    create(Set.of());

    assertThat(projectRoles("web", Set.of("org-admin")).reply().getError().getMessage())
        .isEqualTo("invalid: unknown project role org-admin");
    assertThat(projectRoles("web", Set.of("sys-admin")).reply().getError().getMessage())
        .startsWith("invalid: ");
    assertThat(projectRoles("Web", Set.of("project-user")).reply().getError().getMessage())
        .startsWith("invalid: project name");
    assertThat(projectRoles("web", null).reply().getError().getMessage()).startsWith("invalid: ");

    projectRoles("web", Set.of("project-user"));
    projectRoles("api", Set.of("project-user"));
    var third = projectRoles("db", Set.of("project-user"));
    assertThat(third.reply().getError().getMessage()).startsWith("limit: ");
    assertThat(third.hasNoEvents()).isTrue();
    // Changing an existing membership is not limited.
    assertThat(projectRoles("web", Set.of("project-admin")).reply().isSuccess()).isTrue();
  }

  @Test
  void orgRolesAreValidated() {
    create(Set.of());

    var admin = orgRoles(Set.of("org-admin"));
    assertThat(admin.reply().getValue().orgRoles()).containsExactly("org-admin");
    assertThat(admin.eventOfType(Account.OrgRolesChanged.class).roles()).containsExactly("org-admin");

    var sys = orgRoles(Set.of("sys-admin", "org-admin"));
    assertThat(sys.reply().getError().getMessage()).isEqualTo("invalid: sys-admin only in org system");
    assertThat(sys.hasNoEvents()).isTrue();
    assertThat(orgRoles(Set.of("project-admin")).reply().getError().getMessage()).startsWith("invalid: ");

    var none = orgRoles(Set.of());
    assertThat(none.reply().getValue().orgRoles()).isEmpty();
    assertThat(kit.<StatusReply<Account.RoleView>>runCommand(Account.Roles::new).reply().getValue())
        .isEqualTo(new Account.RoleView(false, Set.of(), Map.of(), Set.of()));
  }

  // ---------------------------------------------------------------- failures, back-off, lockout

  @Test
  void failuresBackOffThenLockTheAccount() {
    create(Set.of());
    Instant now = T0;
    Duration[] expected = {
      null, null, null, // free attempts
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
      Duration.ofSeconds(16), Duration.ofSeconds(30), // capped at backoff-max
      Duration.ofMinutes(15) // max-failures: locked
    };
    for (int i = 0; i < expected.length; i++) {
      Account.FailureRecorded recorded = fail(now);
      assertThat(recorded.failures()).isEqualTo(i + 1);
      Instant until = expected[i] == null ? null : now.plus(expected[i]);
      assertThat(recorded.lockedUntil()).as("after failure %d", i + 1).isEqualTo(until);
      assertThat(credentials(now).lockedUntil()).isEqualTo(until);
      if (until != null) {
        assertThat(credentials(until.minusMillis(1)).lockedUntil()).isEqualTo(until);
        assertThat(credentials(until).lockedUntil()).isNull();
        now = until;
      } else {
        now = now.plusSeconds(1);
      }
    }
    Account.State state = kit.getState();
    assertThat(state.failures()).isEqualTo(10);
    assertThat(state.lastFailureAt()).isEqualTo(now.minus(Duration.ofMinutes(15)));
  }

  @Test
  void loginFailedEventCarriesCountBlockAndTime() {
    create(Set.of());
    fail(T0);
    fail(T0);
    fail(T0);

    var result = kit.<StatusReply<Account.FailureRecorded>>runCommand(
        replyTo -> new Account.RecordFailure(LOGIN, T0, replyTo));

    Account.LoginFailed event = result.eventOfType(Account.LoginFailed.class);
    assertThat(event.failures()).isEqualTo(4);
    assertThat(event.lockedUntil()).isEqualTo(T0.plusSeconds(1));
    assertThat(event.at()).isEqualTo(T0);
    assertThat(event.audit().principal()).isEqualTo("alice");
  }

  @Test
  void failuresOutsideTheWindowStartCountingAgain() {
    create(Set.of());
    for (int i = 0; i < 5; i++) {
      fail(T0);
    }
    Instant last = T0;

    Account.FailureRecorded within = fail(last.plus(Duration.ofMinutes(15)).minusSeconds(1));
    assertThat(within.failures()).isEqualTo(6);

    last = last.plus(Duration.ofMinutes(15)).minusSeconds(1);
    Account.FailureRecorded after = fail(last.plus(Duration.ofMinutes(15)));
    assertThat(after.failures()).isEqualTo(1);
    assertThat(after.lockedUntil()).isNull();
  }

  @Test
  void aFailureDuringALockoutNeverShortensIt() {
    create(Set.of());
    for (int i = 0; i < 10; i++) {
      fail(T0);
    }
    Instant locked = T0.plus(Duration.ofMinutes(15));
    assertThat(credentials(T0).lockedUntil()).isEqualTo(locked);

    Account.FailureRecorded next = fail(T0.plusSeconds(60));

    assertThat(next.failures()).isEqualTo(11);
    assertThat(next.lockedUntil()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofMinutes(15)));
  }

  @Test
  void aLoginResetsFailures() {
    create(Set.of());
    for (int i = 0; i < 5; i++) {
      fail(T0);
    }

    login("s1", T0.plusSeconds(10));

    Account.State state = kit.getState();
    assertThat(state.failures()).isZero();
    assertThat(state.lastFailureAt()).isNull();
    assertThat(state.lockedUntil()).isNull();
    assertThat(credentials(T0.plusSeconds(10)).lockedUntil()).isNull();
    assertThat(fail(T0.plusSeconds(11)).failures()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- logins and sessions

  @Test
  void loginRecordsTheSessionAndRepliesWithTokenRoles() {
    create(Set.of("org-admin"));
    projectRoles("web", Set.of("project-user"));

    var result = login("s1", T0);

    assertThat(result.reply().getValue())
        .isEqualTo(new Account.LoginRecorded(Set.of("org-admin", "project-user:web"), List.of()));
    Account.LoggedIn event = result.eventOfType(Account.LoggedIn.class);
    assertThat(event.sessionId()).isEqualTo("s1");
    assertThat(event.at()).isEqualTo(T0);
    assertThat(sessions()).containsExactly(new Account.SessionRef("s1", T0));
  }

  @Test
  void theOldestSessionIsEvictedBeyondThePerUserLimit() {
    create(Set.of());
    login("s1", T0);
    login("s2", T0.plusSeconds(1));

    var third = login("s3", T0.plusSeconds(2));

    assertThat(third.reply().getValue().evictedSessions()).containsExactly("s1");
    assertThat(third.events())
        .hasSize(2)
        .element(0)
        .isInstanceOfSatisfying(
            Account.SessionRemoved.class, removed -> assertThat(removed.sessionId()).isEqualTo("s1"));
    assertThat(third.events().get(1)).isInstanceOf(Account.LoggedIn.class);
    assertThat(sessions())
        .containsExactly(
            new Account.SessionRef("s2", T0.plusSeconds(1)), new Account.SessionRef("s3", T0.plusSeconds(2)));
  }

  @Test
  void theSameSessionIsRecordedOnce() {
    create(Set.of());
    login("s1", T0);
    login("s2", T0);

    var again = login("s1", T0.plusSeconds(5));

    assertThat(again.reply().getValue().evictedSessions()).isEmpty();
    assertThat(sessions()).extracting(Account.SessionRef::sessionId).containsExactly("s1", "s2");
  }

  @Test
  void loginRefusals() {
    create(Set.of());
    assertThat(login("not a session id", T0).reply().getError().getMessage()).isEqualTo("invalid: session id");
    assertThat(login(null, T0).reply().getError().getMessage()).isEqualTo("invalid: session id");
    kit.<StatusReply<List<String>>>runCommand(replyTo -> new Account.SetDisabled(ADMIN, true, replyTo));

    var disabled = login("s1", T0);

    assertThat(disabled.reply().getError().getMessage()).isEqualTo("invalid: account is disabled");
    assertThat(disabled.hasNoEvents()).isTrue();
  }

  @Test
  void sessionEndedForgetsTheSessionOnce() {
    create(Set.of());
    login("s1", T0);
    login("s2", T0);

    var ended = kit.<Done>runCommand(replyTo -> new Account.SessionEnded(ADMIN, "s1", replyTo));
    assertThat(ended.eventOfType(Account.SessionRemoved.class).sessionId()).isEqualTo("s1");
    assertThat(sessions()).extracting(Account.SessionRef::sessionId).containsExactly("s2");

    var again = kit.<Done>runCommand(replyTo -> new Account.SessionEnded(ADMIN, "s1", replyTo));
    assertThat(again.reply()).isEqualTo(Done.getInstance());
    assertThat(again.hasNoEvents()).isTrue();
  }

  // ---------------------------------------------------------------- password and disabling

  @Test
  void changePasswordRepliesWithTheSessionsToRevoke() {
    create(Set.of());
    login("s1", T0);
    login("s2", T0);

    var result = kit.<StatusReply<List<String>>>runCommand(
        replyTo -> new Account.ChangePassword(ADMIN, "new-hash", replyTo));

    assertThat(result.reply().getValue()).containsExactly("s1", "s2");
    assertThat(result.eventOfType(Account.PasswordChanged.class).passwordHash()).isEqualTo("new-hash");
    assertThat(result.eventOfType(Account.PasswordChanged.class).toString()).doesNotContain("new-hash");
    assertThat(credentials(T0).passwordHash()).isEqualTo("new-hash");
    assertThat(credentials(T0).toString()).doesNotContain("new-hash");
  }

  @Test
  void changePasswordRefusesAnInvalidHash() {
    create(Set.of());

    var result = kit.<StatusReply<List<String>>>runCommand(
        replyTo -> new Account.ChangePassword(ADMIN, "", replyTo));

    assertThat(result.reply().getError().getMessage()).isEqualTo("invalid: password hash");
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void disablingClearsAndReturnsTheSessions() {
    create(Set.of());
    login("s1", T0);

    var disabled = kit.<StatusReply<List<String>>>runCommand(
        replyTo -> new Account.SetDisabled(ADMIN, true, replyTo));

    assertThat(disabled.reply().getValue()).containsExactly("s1");
    assertThat(disabled.eventOfType(Account.DisabledChanged.class).disabled()).isTrue();
    assertThat(sessions()).isEmpty();
    assertThat(credentials(T0).disabled()).isTrue();
    assertThat(kit.<StatusReply<Account.RoleView>>runCommand(Account.Roles::new).reply().getValue().disabled())
        .isTrue();

    var again = kit.<StatusReply<List<String>>>runCommand(
        replyTo -> new Account.SetDisabled(ADMIN, true, replyTo));
    assertThat(again.reply().getValue()).isEmpty();
    assertThat(again.hasNoEvents()).isTrue();

    var enabled = kit.<StatusReply<List<String>>>runCommand(
        replyTo -> new Account.SetDisabled(ADMIN, false, replyTo));
    assertThat(enabled.reply().getValue()).isEmpty();
    assertThat(enabled.eventOfType(Account.DisabledChanged.class).disabled()).isFalse();
    assertThat(login("s2", T0).reply().isSuccess()).isTrue();
  }

  @Test
  void createWithoutRolesMeansNone() {
    var result = kit.<StatusReply<Done>>runCommand(
        replyTo -> new Account.Create(ADMIN, HASH, null, T0, replyTo));

    assertThat(result.reply().isSuccess()).isTrue();
    assertThat(kit.getState().orgRoles()).isEmpty();
  }

  // ---------------------------------------------------------------- audit

  @Test
  void auditNeverShowsPasswordHashes() {
    var created = create(Set.of("org-admin"));
    var changed = kit.<StatusReply<List<String>>>runCommand(
        replyTo -> new Account.ChangePassword(ADMIN, "second-hash", replyTo));
    AuditRenderer renderer = new AuditRenderer();

    String events =
        renderer.event(Account.MODEL, 1, created.event()).payload().toString()
            + renderer.event(Account.MODEL, 2, changed.event()).payload().toString();
    String state = renderer.state(Account.MODEL, kit.getState()).toString();

    assertThat(events).doesNotContain(HASH).doesNotContain("second-hash").contains(AuditRenderer.REDACTED);
    assertThat(state).doesNotContain("second-hash").contains(AuditRenderer.REDACTED).contains("org-admin");
  }

  // ---------------------------------------------------------------- recovery

  @Test
  void recoversAndFoldsToTheSameState() {
    create(Set.of("org-admin"));
    projectRoles("web", Set.of("project-admin"));
    fail(T0);
    login("s1", T0);
    login("s2", T0);
    login("s3", T0);
    fail(T0.plusSeconds(3));
    kit.<StatusReply<List<String>>>runCommand(replyTo -> new Account.ChangePassword(ADMIN, "h2", replyTo));
    Account.State live = kit.getState();

    assertThat(kit.restart().state()).isEqualTo(live);
    Account.State folded = Account.MODEL.emptyState();
    for (Object event : kit.persistenceTestKit().<Object>persistedInStorage("account|acme:alice")) {
      folded = Account.MODEL.applyUntyped(folded, event);
    }
    assertThat(folded).isEqualTo(live);
  }

  private Account.Credentials begin(Instant now) {
    return kit.<Account.Credentials>runCommand(replyTo -> new Account.BeginAttempt(now, replyTo)).reply();
  }

  @Test
  void checksOverlapOnlyWithinTheFreeAttemptsSoParallelGuessesCannotOutrunTheLockout() {
    create(java.util.Set.of());
    // free-attempts = 3: three checks may run at once, a fourth is turned away for a second.
    assertThat(begin(T0).lockedUntil()).isNull();
    assertThat(begin(T0.plusMillis(1)).lockedUntil()).isNull();
    assertThat(begin(T0.plusMillis(2)).lockedUntil()).isNull();
    assertThat(begin(T0.plusMillis(3)).lockedUntil()).isEqualTo(T0.plusMillis(3).plusSeconds(1));

    // Two failures recorded: one check in flight and two failures use up the free attempts.
    fail(T0.plusMillis(10));
    fail(T0.plusMillis(11));
    assertThat(begin(T0.plusMillis(12)).lockedUntil()).isNotNull();

    // Ending the last check lets exactly one more start; abandoned checks expire.
    kit.runCommand(new Account.EndAttempt(T0.plusMillis(13)));
    assertThat(begin(T0.plusMillis(14)).lockedUntil()).isNull();
    assertThat(begin(T0.plusMillis(15)).lockedUntil()).isNotNull();
    assertThat(begin(T0.plus(Account.ATTEMPT_TIMEOUT).plusMillis(15)).lockedUntil()).isNull();
  }

  @Test
  void aLoginIsNotRecordedWhileTheAccountIsLocked() {
    create(java.util.Set.of());
    Instant now = T0;
    Account.FailureRecorded recorded = null;
    for (int i = 0; i < 20 && (recorded == null || recorded.lockedUntil() == null); i++) {
      now = now.plusSeconds(60);
      recorded = fail(now);
    }
    assertThat(recorded.lockedUntil()).isAfter(now);

    var login = login("s-locked", now.plusMillis(1));

    assertThat(login.reply().isError()).isTrue();
    assertThat(login.reply().getError().getMessage()).contains("locked");
    assertThat(begin(now.plusMillis(2)).lockedUntil()).isEqualTo(recorded.lockedUntil());
  }
}
