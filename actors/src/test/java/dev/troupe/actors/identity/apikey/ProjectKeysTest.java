package dev.troupe.actors.identity.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.identity.IdentityTestKit;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The project keys entity: create (with its limit), revoke (idempotent), touches at most once per interval. */
class ProjectKeysTest {

  private static final ActorTestKit testKit = IdentityTestKit.create();
  private static final RequestContext BOSS = new RequestContext("req-1", "boss", "acme");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private final EventSourcedBehaviorTestKit<ProjectKeys.Command, ProjectKeys.Event, ProjectKeys.State> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), ProjectKeys.create("acme:web"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private static StoredKey key(String id) {
    return keyAt(id, T0);
  }

  private static StoredKey keyAt(String id, Instant createdAt) {
    return new StoredKey(
        id, "k-" + id, ApiKeyFormat.hash("trp_" + id), List.of("project-user:web"),
        new ScopePatterns(List.of("GET /rooms"), List.of(), List.of()), "boss@acme", createdAt, null, null, null);
  }

  private static ProjectKeys.Limits limits(int max) {
    return new ProjectKeys.Limits(max, Duration.ofDays(30), 100);
  }

  private StatusReply<StoredKey> create(String id, int max) {
    return kit.<StatusReply<StoredKey>>runCommand(replyTo -> new ProjectKeys.Create(BOSS, key(id), limits(max), replyTo)).reply();
  }

  private StatusReply<StoredKey> revoke(String id, Instant now) {
    return kit.<StatusReply<StoredKey>>runCommand(replyTo -> new ProjectKeys.Revoke(BOSS, id, now, replyTo)).reply();
  }

  @Test
  void createsUpToTheLimitOfActiveKeys() {
    assertThat(create("aaaaaaaaaaaa", 2).isSuccess()).isTrue();
    assertThat(create("bbbbbbbbbbbb", 2).isSuccess()).isTrue();
    StatusReply<StoredKey> third = create("cccccccccccc", 2);
    assertThat(third.isError()).isTrue();
    assertThat(third.getError().getMessage()).startsWith("limit: ");
    assertThat(create("aaaaaaaaaaaa", 5).getError().getMessage()).startsWith("conflict: ");
    // a revoked key frees its place
    assertThat(revoke("aaaaaaaaaaaa", T0).isSuccess()).isTrue();
    assertThat(create("cccccccccccc", 2).isSuccess()).isTrue();
    assertThat(kit.getState().keys()).extracting(StoredKey::id).containsExactly("aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc");
  }

  @Test
  void revokeIsIdempotentAndUnknownIsNotFound() {
    create("aaaaaaaaaaaa", 5);
    var first = kit.<StatusReply<StoredKey>>runCommand(replyTo -> new ProjectKeys.Revoke(BOSS, "aaaaaaaaaaaa", T0, replyTo));
    assertThat(first.events()).hasSize(1);
    assertThat(first.reply().getValue().revokedAt()).isEqualTo(T0);
    var again =
        kit.<StatusReply<StoredKey>>runCommand(replyTo -> new ProjectKeys.Revoke(BOSS, "aaaaaaaaaaaa", T0.plusSeconds(5), replyTo));
    assertThat(again.hasNoEvents()).isTrue();
    assertThat(again.reply().getValue().revokedAt()).isEqualTo(T0);
    assertThat(revoke("zzzzzzzzzzzz", T0).getError().getMessage()).startsWith("not found: ");
  }

  @Test
  void touchesAreWrittenAtMostOncePerInterval() {
    create("aaaaaaaaaaaa", 5);
    assertThat(kit.runCommand(new ProjectKeys.Touch("aaaaaaaaaaaa", T0, MINUTE)).events()).hasSize(1);
    assertThat(kit.runCommand(new ProjectKeys.Touch("aaaaaaaaaaaa", T0.plusSeconds(30), MINUTE)).hasNoEvents()).isTrue();
    assertThat(kit.runCommand(new ProjectKeys.Touch("aaaaaaaaaaaa", T0.plusSeconds(61), MINUTE)).events()).hasSize(1);
    assertThat(kit.runCommand(new ProjectKeys.Touch("zzzzzzzzzzzz", T0, MINUTE)).hasNoEvents()).isTrue();
    assertThat(kit.getState().key("aaaaaaaaaaaa").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(61));
    revoke("aaaaaaaaaaaa", T0.plusSeconds(62));
    assertThat(kit.runCommand(new ProjectKeys.Touch("aaaaaaaaaaaa", T0.plusSeconds(200), MINUTE)).hasNoEvents()).isTrue();
  }

  @Test
  void lookupAndListNeverChangeAnything() {
    create("aaaaaaaaaaaa", 5);
    var found = kit.<ProjectKeys.Found>runCommand(replyTo -> new ProjectKeys.Lookup("aaaaaaaaaaaa", replyTo));
    assertThat(found.hasNoEvents()).isTrue();
    assertThat(found.reply().key().id()).isEqualTo("aaaaaaaaaaaa");
    assertThat(kit.<ProjectKeys.Found>runCommand(replyTo -> new ProjectKeys.Lookup("nope", replyTo)).reply().key()).isNull();
    assertThat(kit.<ProjectKeys.KeyList>runCommand(ProjectKeys.ListKeys::new).reply().keys()).hasSize(1);
  }

  @Test
  void auditNeverShowsTheHash() {
    var result = kit.<StatusReply<StoredKey>>runCommand(replyTo -> new ProjectKeys.Create(BOSS, key("aaaaaaaaaaaa"), limits(5), replyTo));
    String hash = key("aaaaaaaaaaaa").hash();
    AuditRenderer renderer = new AuditRenderer();
    String event = renderer.event(ProjectKeys.MODEL, 1, result.event()).payload().toString();
    String state = renderer.state(ProjectKeys.MODEL, kit.getState()).toString();
    assertThat(event).contains("aaaaaaaaaaaa").doesNotContain(hash);
    assertThat(state).contains("aaaaaaaaaaaa").doesNotContain(hash);
  }

  @Test
  void revokedKeysAreDroppedAfterTheRetentionOrBeyondTheBound() {
    ProjectKeys.Limits limits = new ProjectKeys.Limits(10, Duration.ofDays(30), 2);
    for (String id : List.of("aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc", "dddddddddddd")) {
      kit.<StatusReply<StoredKey>>runCommand(replyTo -> new ProjectKeys.Create(BOSS, key(id), limits, replyTo));
    }
    revoke("aaaaaaaaaaaa", T0.plusSeconds(10));
    revoke("bbbbbbbbbbbb", T0.plusSeconds(20));
    revoke("cccccccccccc", T0.plusSeconds(30));
    // three revoked, two kept at most: the oldest revocation goes with the next create
    var next =
        kit.<StatusReply<StoredKey>>runCommand(
            replyTo -> new ProjectKeys.Create(BOSS, keyAt("eeeeeeeeeeee", T0.plusSeconds(60)), limits, replyTo));
    assertThat(next.events()).hasSize(2);
    assertThat(next.events().get(0)).isInstanceOf(ProjectKeys.Pruned.class);
    assertThat(((ProjectKeys.Pruned) next.events().get(0)).keyIds()).containsExactly("aaaaaaaaaaaa");
    assertThat(kit.getState().keys())
        .extracting(StoredKey::id)
        .containsExactly("bbbbbbbbbbbb", "cccccccccccc", "dddddddddddd", "eeeeeeeeeeee");
    // past the retention every revoked key goes
    var later =
        kit.<StatusReply<StoredKey>>runCommand(
            replyTo -> new ProjectKeys.Create(BOSS, keyAt("ffffffffffff", T0.plus(Duration.ofDays(31))), limits, replyTo));
    assertThat(((ProjectKeys.Pruned) later.events().get(0)).keyIds()).containsExactly("bbbbbbbbbbbb", "cccccccccccc");
    assertThat(kit.getState().keys())
        .extracting(StoredKey::id)
        .containsExactly("dddddddddddd", "eeeeeeeeeeee", "ffffffffffff");
    // a dropped key is unknown: its lookup finds nothing
    assertThat(kit.<ProjectKeys.Found>runCommand(replyTo -> new ProjectKeys.Lookup("aaaaaaaaaaaa", replyTo)).reply().key())
        .isNull();
    // nothing to drop: just the create
    var plain =
        kit.<StatusReply<StoredKey>>runCommand(
            replyTo -> new ProjectKeys.Create(BOSS, keyAt("gggggggggggg", T0.plus(Duration.ofDays(32))), limits, replyTo));
    assertThat(plain.events()).hasSize(1);
  }
}
