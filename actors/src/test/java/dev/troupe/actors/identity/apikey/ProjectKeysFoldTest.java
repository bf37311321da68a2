package dev.troupe.actors.identity.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.persistence.audit.AuditRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure fold of a project's keys. */
class ProjectKeysFoldTest {

  private static final AuditRecord AUDIT = new AuditRecord("boss", "acme", "r", "n", Instant.EPOCH);
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  private static StoredKey key(String id) {
    return new StoredKey(id, "k", "h", List.of(), new ScopePatterns(null, null, null), "boss@acme", T0, null, null, null);
  }

  @Test
  void createdUsedRevoked() {
    ProjectKeys.State s = ProjectKeys.State.EMPTY;
    s = ProjectKeys.apply(s, new ProjectKeys.Created(AUDIT, key("a")));
    s = ProjectKeys.apply(s, new ProjectKeys.Created(AUDIT, key("b")));
    assertThat(s.active()).isEqualTo(2);
    s = ProjectKeys.apply(s, new ProjectKeys.Used(AUDIT, "a", T0.plusSeconds(5)));
    s = ProjectKeys.apply(s, new ProjectKeys.Revoked(AUDIT, "b", T0.plusSeconds(9)));
    assertThat(s.keys()).extracting(StoredKey::id).containsExactly("a", "b");
    assertThat(s.key("a").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(s.key("b").orElseThrow().revoked()).isTrue();
    assertThat(s.active()).isEqualTo(1);
    // events about unknown keys change nothing
    assertThat(ProjectKeys.apply(s, new ProjectKeys.Used(AUDIT, "zz", T0))).isEqualTo(s);
    s = ProjectKeys.apply(s, new ProjectKeys.Pruned(AUDIT, List.of("b", "zz")));
    assertThat(s.keys()).extracting(StoredKey::id).containsExactly("a");
  }

  @Test
  void expiry() {
    StoredKey k =
        new StoredKey("a", "k", "h", List.of(), new ScopePatterns(null, null, null), "b", T0, T0.plusSeconds(10), null, null);
    assertThat(k.expired(T0.plusSeconds(9))).isFalse();
    assertThat(k.expired(T0.plusSeconds(10))).isTrue();
    assertThat(key("a").expired(T0.plusSeconds(1_000_000))).isFalse();
    assertThat(k.toString()).doesNotContain("hash=h");
  }
}
