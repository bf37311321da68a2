package dev.troupe.actors.identity.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.identity.IdentityTestKit;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session entity: start, refresh-token rotation and reuse detection (2 previous hashes kept
 * here), touches, revocation and idle and absolute expiry (12h and 7d).
 */
class SessionTest {

  private static final ActorTestKit testKit = IdentityTestKit.create();
  private static final RequestContext LOGIN = new RequestContext("req-1", "alice", "acme");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration IDLE = Duration.ofHours(12);
  private static final Duration LIFETIME = Duration.ofDays(7);
  private static final String ID = SessionIds.newId();

  private final EventSourcedBehaviorTestKit<Session.Command, Session.Event, Session.State> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Session.create("acme:" + ID));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private CommandResultWithReply<Session.Command, Session.Event, Session.State, StatusReply<Session.Info>>
      start(String refreshHash, Instant now) {
    return kit.runCommand(
        replyTo -> new Session.Start(LOGIN, "alice", "laptop", "10.0.0.1", "curl/8", refreshHash, now, replyTo));
  }

  private CommandResultWithReply<Session.Command, Session.Event, Session.State, StatusReply<Session.Info>>
      refresh(String presented, String next, Instant now) {
    return kit.runCommand(replyTo -> new Session.Refresh(LOGIN, presented, next, now, replyTo));
  }

  private CommandResultWithReply<Session.Command, Session.Event, Session.State, StatusReply<Session.Info>>
      info(Instant now) {
    return kit.runCommand(replyTo -> new Session.GetInfo(now, replyTo));
  }

  private CommandResultWithReply<Session.Command, Session.Event, Session.State, StatusReply<Session.Info>>
      revoke(String reason, Instant now) {
    return kit.runCommand(replyTo -> new Session.Revoke(LOGIN, reason, now, replyTo));
  }

  // ---------------------------------------------------------------- ids

  @Test
  void idsAre22CharactersOfBase64Url() {
    String id = SessionIds.newId();

    assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]{22}");
    assertThat(SessionIds.valid(id)).isTrue();
    assertThat(SessionIds.newId()).isNotEqualTo(id);
    assertThat(SessionIds.valid("short")).isFalse();
    assertThat(SessionIds.valid(null)).isFalse();
    assertThat(SessionIds.valid("a".repeat(21) + "=")).isFalse();
  }

  // ---------------------------------------------------------------- start

  @Test
  void startRecordsWhoWhereAndUntilWhen() {
    var result = start("h0", T0);

    Session.Info info = result.reply().getValue();
    assertThat(info)
        .isEqualTo(
            new Session.Info(ID, "alice", "laptop", "10.0.0.1", "curl/8", T0, T0, T0.plus(LIFETIME),
                T0.plus(IDLE), "active"));
    Session.Started started = result.eventOfType(Session.Started.class);
    assertThat(started.at()).isEqualTo(T0);
    assertThat(started.absoluteExpiry()).isEqualTo(T0.plus(LIFETIME));
    assertThat(started.refreshHash()).isEqualTo("h0");
    assertThat(started.toString()).doesNotContain("h0");
    assertThat(result.state().status()).isEqualTo(Session.Status.ACTIVE);
    assertThat(result.state().toString()).doesNotContain("h0");
  }

  @Test
  void startCutsLongClientDetails() {
    var result = kit.<StatusReply<Session.Info>>runCommand(
        replyTo ->
            new Session.Start(LOGIN, "alice", "d".repeat(500), "i".repeat(100), "u".repeat(1000), "h0", T0, replyTo));

    Session.Info info = result.reply().getValue();
    assertThat(info.device()).hasSize(Session.MAX_DEVICE_LENGTH);
    assertThat(info.userAgent()).hasSize(Session.MAX_USER_AGENT_LENGTH);
    assertThat(info.ip()).hasSize(Session.MAX_IP_LENGTH);
    kit.clear();
    var missing = kit.<StatusReply<Session.Info>>runCommand(
        replyTo -> new Session.Start(LOGIN, "alice", null, null, null, "h0", T0, replyTo));
    assertThat(missing.reply().getValue().device()).isEmpty();
  }

  @Test
  void startRefusals() {
    var badUser = kit.<StatusReply<Session.Info>>runCommand(
        replyTo -> new Session.Start(LOGIN, "Alice", "", "", "", "h0", T0, replyTo));
    assertThat(badUser.reply().getError().getMessage()).startsWith("invalid: ");
    assertThat(start("", T0).reply().getError().getMessage()).isEqualTo("invalid: refresh token hash");
    assertThat(start("h".repeat(Session.MAX_HASH_LENGTH + 1), T0).reply().getError().getMessage())
        .isEqualTo("invalid: refresh token hash");
    start("h0", T0);

    var again = start("h1", T0);

    assertThat(again.reply().getError().getMessage()).isEqualTo("conflict: session already exists");
    assertThat(again.hasNoEvents()).isTrue();
  }

  // ---------------------------------------------------------------- refresh

  @Test
  void refreshRotatesTheToken() {
    start("h0", T0);
    Instant later = T0.plus(Duration.ofHours(1));

    var result = refresh("h0", "h1", later);

    Session.Info info = result.reply().getValue();
    assertThat(info.lastSeen()).isEqualTo(later);
    assertThat(info.idleExpiry()).isEqualTo(later.plus(IDLE));
    assertThat(info.absoluteExpiry()).isEqualTo(T0.plus(LIFETIME));
    Session.Refreshed refreshed = result.eventOfType(Session.Refreshed.class);
    assertThat(refreshed.refreshHash()).isEqualTo("h1");
    assertThat(refreshed.at()).isEqualTo(later);
    assertThat(refreshed.history()).isEqualTo(2);
    assertThat(result.state().refreshHash()).isEqualTo("h1");
    assertThat(result.state().previousRefreshHashes()).containsExactly("h0");

    assertThat(refresh("h1", "h2", later.plusSeconds(1)).reply().isSuccess()).isTrue();
  }

  @Test
  void reusingAnOldRefreshTokenRevokesTheSession() {
    start("h0", T0);
    refresh("h0", "h1", T0.plusSeconds(60));

    var reuse = refresh("h0", "h9", T0.plusSeconds(120));

    assertThat(reuse.reply().getError().getMessage()).isEqualTo("reuse: refresh token reused; session revoked");
    assertThat(reuse.eventOfType(Session.Revoked.class).reason()).isEqualTo("refresh-token-reuse");
    assertThat(reuse.state().status()).isEqualTo(Session.Status.REVOKED);
    assertThat(reuse.state().endReason()).isEqualTo("refresh-token-reuse");

    // Even the current token no longer works.
    var current = refresh("h1", "h2", T0.plusSeconds(121));
    assertThat(current.reply().getError().getMessage()).isEqualTo("invalid: refresh token");
    assertThat(current.hasNoEvents()).isTrue();
  }

  @Test
  void onlyTheConfiguredHistoryIsKept() {
    start("h0", T0);
    refresh("h0", "h1", T0.plusSeconds(1));
    refresh("h1", "h2", T0.plusSeconds(2));
    refresh("h2", "h3", T0.plusSeconds(3));

    assertThat(kit.getState().previousRefreshHashes()).containsExactly("h1", "h2");
    var forgotten = refresh("h0", "h9", T0.plusSeconds(4));
    assertThat(forgotten.reply().getError().getMessage()).isEqualTo("invalid: refresh token");
    assertThat(forgotten.hasNoEvents()).isTrue();
    assertThat(refresh("h1", "h9", T0.plusSeconds(5)).reply().getError().getMessage()).startsWith("reuse: ");
  }

  @Test
  void unknownTokensAndSessionsAreInvalid() {
    assertThat(refresh("h0", "h1", T0).reply().getError().getMessage()).isEqualTo("invalid: refresh token");
    start("h0", T0);

    var unknown = refresh("nope", "h1", T0.plusSeconds(1));
    assertThat(unknown.reply().getError().getMessage()).isEqualTo("invalid: refresh token");
    assertThat(unknown.hasNoEvents()).isTrue();
    assertThat(refresh("h0", "", T0.plusSeconds(1)).reply().getError().getMessage())
        .isEqualTo("invalid: refresh token");
    assertThat(refresh(null, "h1", T0.plusSeconds(1)).reply().getError().getMessage())
        .isEqualTo("invalid: refresh token");
    assertThat(kit.getState().refreshHash()).isEqualTo("h0");
  }

  @Test
  void refreshAfterTheIdleTimeoutExpiresTheSession() {
    start("h0", T0);
    // Exactly at the idle limit the session still works.
    assertThat(refresh("h0", "h1", T0.plus(IDLE)).reply().isSuccess()).isTrue();
    Instant idleAt = T0.plus(IDLE).plus(IDLE);

    var late = refresh("h1", "h2", idleAt.plusMillis(1));

    assertThat(late.reply().getError().getMessage()).isEqualTo("expired: session expired");
    assertThat(late.eventOfType(Session.Expired.class).reason()).isEqualTo("idle");
    assertThat(late.state().status()).isEqualTo(Session.Status.EXPIRED);
    var after = refresh("h1", "h2", idleAt.plusSeconds(5));
    assertThat(after.reply().getError().getMessage()).isEqualTo("invalid: refresh token");
    assertThat(after.hasNoEvents()).isTrue();
  }

  @Test
  void refreshAfterTheMaximumLifetimeExpiresTheSession() {
    start("h0", T0);
    Instant now = T0;
    int n = 0;
    // Keep it busy: never idle, but it cannot outlive max-lifetime.
    while (!now.plus(Duration.ofHours(11)).isAfter(T0.plus(LIFETIME))) {
      now = now.plus(Duration.ofHours(11));
      assertThat(refresh("h" + n, "h" + (n + 1), now).reply().isSuccess()).isTrue();
      n++;
    }

    var late = refresh("h" + n, "h" + (n + 1), T0.plus(LIFETIME).plusMillis(1));

    assertThat(late.reply().getError().getMessage()).isEqualTo("expired: session expired");
    assertThat(late.eventOfType(Session.Expired.class).reason()).isEqualTo("max-lifetime");
  }

  // ---------------------------------------------------------------- touch

  @Test
  void touchesArePersistedAtMostOncePerInterval() {
    start("h0", T0);

    assertThat(kit.runCommand(new Session.Touch(T0.plusSeconds(30))).hasNoEvents()).isTrue();
    var first = kit.runCommand(new Session.Touch(T0.plusSeconds(60)));
    Session.Touched touched = first.eventOfType(Session.Touched.class);
    assertThat(touched.at()).isEqualTo(T0.plusSeconds(60));
    assertThat(touched.audit().principal()).isEqualTo("alice");
    assertThat(touched.audit().tenant()).isEqualTo("acme");
    assertThat(touched.audit().requestId()).isEqualTo("touch");
    assertThat(kit.runCommand(new Session.Touch(T0.plusSeconds(90))).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new Session.Touch(T0.plusSeconds(119))).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new Session.Touch(T0.plusSeconds(120))).events()).hasSize(1);
    assertThat(kit.getState().lastSeen()).isEqualTo(T0.plusSeconds(120));
  }

  @Test
  void touchesKeepAnIdleSessionAlive() {
    start("h0", T0);
    Instant touchedAt = T0.plus(Duration.ofHours(11));
    kit.runCommand(new Session.Touch(touchedAt));

    var info = info(T0.plus(IDLE).plusSeconds(1));

    assertThat(info.reply().getValue().status()).isEqualTo("active");
    assertThat(info.reply().getValue().idleExpiry()).isEqualTo(touchedAt.plus(IDLE));
    assertThat(info.hasNoEvents()).isTrue();
  }

  @Test
  void touchesDoNothingForEndedOrMissingSessions() {
    assertThat(kit.runCommand(new Session.Touch(T0)).hasNoEvents()).isTrue();
    start("h0", T0);
    assertThat(kit.runCommand(new Session.Touch(T0.plus(IDLE).plusSeconds(1))).hasNoEvents()).isTrue();
    revoke("logout", T0.plusSeconds(1));
    assertThat(kit.runCommand(new Session.Touch(T0.plusSeconds(600))).hasNoEvents()).isTrue();
  }

  // ---------------------------------------------------------------- revoke

  @Test
  void revokeIsIdempotent() {
    assertThat(revoke("logout", T0).reply().getError().getMessage()).isEqualTo("not found: session");
    start("h0", T0);

    var first = revoke("logout", T0.plusSeconds(5));
    assertThat(first.reply().getValue().status()).isEqualTo("revoked");
    assertThat(first.eventOfType(Session.Revoked.class).reason()).isEqualTo("logout");
    assertThat(first.eventOfType(Session.Revoked.class).audit().principal()).isEqualTo("alice");

    var second = revoke("admin", T0.plusSeconds(6));
    assertThat(second.reply().getValue().status()).isEqualTo("revoked");
    assertThat(second.hasNoEvents()).isTrue();
    assertThat(kit.getState().endReason()).isEqualTo("logout");
    assertThat(refresh("h0", "h1", T0.plusSeconds(7)).reply().getError().getMessage())
        .isEqualTo("invalid: refresh token");
  }

  @Test
  void revokeReasonsAreBounded() {
    start("h0", T0);

    var result = revoke("r".repeat(500), T0);

    assertThat(result.eventOfType(Session.Revoked.class).reason()).hasSize(Session.MAX_REASON_LENGTH);
    kit.clear();
    start("h0", T0);
    assertThat(revoke(null, T0).eventOfType(Session.Revoked.class).reason()).isEqualTo("revoked");
  }

  // ---------------------------------------------------------------- info and lazy expiry

  @Test
  void getInfoIsNotFoundBeforeStart() {
    var result = info(T0);

    assertThat(result.reply().getError().getMessage()).isEqualTo("not found: session");
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void getInfoRecordsAnExpiryItNotices() {
    start("h0", T0);
    assertThat(info(T0.plus(IDLE)).hasNoEvents()).isTrue();

    var expired = info(T0.plus(IDLE).plusSeconds(1));

    assertThat(expired.reply().getValue().status()).isEqualTo("expired");
    Session.Expired event = expired.eventOfType(Session.Expired.class);
    assertThat(event.reason()).isEqualTo("idle");
    assertThat(event.audit().requestId()).isEqualTo("expiry");
    assertThat(event.audit().principal()).isEqualTo("alice");

    var again = info(T0.plus(IDLE).plusSeconds(2));
    assertThat(again.reply().getValue().status()).isEqualTo("expired");
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(kit.getState().endReason()).isEqualTo("idle");
  }

  @Test
  void theEarlierLimitNamesTheExpiry() {
    start("h0", T0);
    Instant lastRefresh = T0.plus(LIFETIME).minus(Duration.ofHours(1));
    // Keep it used so that max-lifetime comes first.
    Instant now = T0;
    int n = 0;
    while (now.plus(Duration.ofHours(11)).isBefore(lastRefresh)) {
      now = now.plus(Duration.ofHours(11));
      refresh("h" + n, "h" + (n + 1), now);
      n++;
    }
    refresh("h" + n, "h" + (n + 1), lastRefresh);

    // Long after both limits: max-lifetime came first.
    var expired = info(lastRefresh.plus(Duration.ofDays(30)));

    assertThat(expired.eventOfType(Session.Expired.class).reason()).isEqualTo("max-lifetime");
  }

  // ---------------------------------------------------------------- audit

  @Test
  void auditNeverShowsRefreshTokenHashes() {
    var started = start("hash-zero", T0);
    var refreshed = refresh("hash-zero", "hash-one", T0.plusSeconds(1));
    AuditRenderer renderer = new AuditRenderer();

    String events =
        renderer.event(Session.MODEL, 1, started.event()).payload().toString()
            + renderer.event(Session.MODEL, 2, refreshed.event()).payload().toString();
    String state = renderer.state(Session.MODEL, kit.getState()).toString();

    assertThat(events).doesNotContain("hash-zero").doesNotContain("hash-one").contains("laptop");
    assertThat(state).doesNotContain("hash-zero").doesNotContain("hash-one").contains("ACTIVE");
  }

  // ---------------------------------------------------------------- recovery

  @Test
  void recoversAndFoldsToTheSameState() {
    start("h0", T0);
    refresh("h0", "h1", T0.plusSeconds(10));
    kit.runCommand(new Session.Touch(T0.plusSeconds(100)));
    refresh("h1", "h2", T0.plusSeconds(200));
    refresh("h2", "h3", T0.plusSeconds(300));
    revoke("logout", T0.plusSeconds(400));
    Session.State live = kit.getState();

    assertThat(kit.restart().state()).isEqualTo(live);
    Session.State folded = Session.MODEL.emptyState();
    List<Object> events = kit.persistenceTestKit().persistedInStorage("session|acme:" + ID);
    for (Object event : events) {
      folded = Session.MODEL.applyUntyped(folded, event);
    }
    assertThat(folded).isEqualTo(live);
  }
}
