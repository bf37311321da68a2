package dev.troupe.persistence.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.persistence.entity.EntityModel;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditRendererTest {

  record KeyRotated(AuditRecord audit, String keyId, @Secret String keyHash) implements AuditedEvent {}

  record Inner(@Secret String token, String label) {}

  record State(String owner, Inner current) {}

  private static final AuditRecord AUDIT =
      new AuditRecord("alice", "acme", "req-9", "node-1", Instant.parse("2026-01-01T00:00:00Z"));

  private static final EntityModel<State, KeyRotated> MODEL =
      EntityModel.of(
          "keys",
          KeyRotated.class,
          new State("", new Inner("", "")),
          (state, event) -> new State("alice", new Inner(event.keyHash(), event.keyId())));

  private final AuditRenderer renderer = new AuditRenderer();

  @Test
  void redactsSecretComponentsAndMovesTheAuditRecordToMeta() {
    AuditEvent event = renderer.event(MODEL, 4, new KeyRotated(AUDIT, "k1", "s3cr3t-hash"));

    assertThat(event.seq()).isEqualTo(4);
    assertThat(event.type()).isEqualTo("KeyRotated");
    assertThat(event.timestamp()).isEqualTo(AUDIT.timestamp());
    assertThat(event.meta()).isEqualTo(new AuditEvent.Meta("alice", "acme", "req-9", "node-1"));
    assertThat(event.payload().get("keyId").asText()).isEqualTo("k1");
    assertThat(event.payload().get("keyHash").asText()).isEqualTo(AuditRenderer.REDACTED);
    assertThat(event.payload().has("audit")).isFalse();
    assertThat(event.payload().toString()).doesNotContain("s3cr3t");
  }

  @Test
  void redactsSecretsNestedInStates() {
    JsonNode state = renderer.state(MODEL, new State("alice", new Inner("tok-123", "main")));

    assertThat(state.get("current").get("token").asText()).isEqualTo(AuditRenderer.REDACTED);
    assertThat(state.get("current").get("label").asText()).isEqualTo("main");
    assertThat(state.toString()).doesNotContain("tok-123");
  }

  @Test
  void redactsNullSecretsToo() {
    JsonNode state = renderer.state(MODEL, new State("alice", new Inner(null, "main")));

    assertThat(state.get("current").get("token").asText()).isEqualTo(AuditRenderer.REDACTED);
  }

  @Test
  void usesTheModelsViewsWhenGiven() {
    var model = MODEL.withViews(event -> java.util.Map.of("rotated", event.keyId()), state -> "hidden");

    assertThat(renderer.event(model, 1, new KeyRotated(AUDIT, "k2", "h")).payload().toString())
        .isEqualTo("{\"rotated\":\"k2\"}");
    assertThat(renderer.state(model, new State("x", new Inner("t", "l"))).asText()).isEqualTo("hidden");
  }
}
