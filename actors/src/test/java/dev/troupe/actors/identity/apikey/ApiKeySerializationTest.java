package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.testkit.GoldenSamples;
import dev.troupe.persistence.audit.AuditRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted API key event and state still reads back from its golden bytes. */
class ApiKeySerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final AuditRecord AUDIT =
      new AuditRecord("boss", "acme", "req-1", "node-a", Instant.parse("2026-01-02T03:04:05.678Z"));
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final StoredKey KEY =
      new StoredKey(
          "abcdefghijkl",
          "ci",
          "0".repeat(64),
          List.of("project-user:web"),
          new ScopePatterns(List.of("GET /rooms/**"), List.of("chat-*"), List.of("orders")),
          "boss@acme",
          T0,
          T0.plusSeconds(3600),
          null,
          null);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void projectKeysEventsAndStateReadBack() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("api-keys/Created-v1", new ProjectKeys.Created(AUDIT, KEY));
    events.put("api-keys/Revoked-v1", new ProjectKeys.Revoked(AUDIT, "abcdefghijkl", T0.plusSeconds(60)));
    events.put("api-keys/Used-v1", new ProjectKeys.Used(AUDIT, "abcdefghijkl", T0.plusSeconds(30)));
    events.put("api-keys/Pruned-v1", new ProjectKeys.Pruned(AUDIT, List.of("abcdefghijkl", "mnopqrstuvwx")));
    GoldenSamples.assertCovers(ProjectKeys.Event.class, events);
    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put("api-keys/State-v1", new ProjectKeys.State(List.of(KEY, KEY.used(T0.plusSeconds(1)).revokedAt(T0.plusSeconds(2)))));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }

  @Test
  void keyIndexEventsAndStateReadBack() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("api-key-index/Registered-v1", new KeyIndex.Registered(AUDIT, "acme", "web"));
    GoldenSamples.assertCovers(KeyIndex.Event.class, events);
    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put("api-key-index/State-v1", new KeyIndex.State("acme", "web"));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }

  @Test
  void keyIdSecretEventsAndStateReadBack() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("api-key-secret/SecretCreated-v1", new KeyIdSecret.SecretCreated(AUDIT, "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMw=="));
    GoldenSamples.assertCovers(KeyIdSecret.Event.class, events);
    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put("api-key-secret/State-v1", new KeyIdSecret.State("c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMw=="));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }
}
