package dev.troupe.actors.identity.token;

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

/** Every persisted signing-keys event and its state still read back from their golden bytes. */
class SigningKeysSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final AuditRecord AUDIT =
      new AuditRecord(
          "system", "system", "key-rotation", "node-a", Instant.parse("2026-01-02T03:04:05.678Z"));

  // The Ed25519 example key of RFC 8037, appendix A.
  private static final String PRIVATE_JWK =
      "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\",\"alg\":\"EdDSA\","
          + "\"d\":\"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A\","
          + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
  private static final String PUBLIC_JWK =
      "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k1\",\"alg\":\"EdDSA\","
          + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void eventsAndStateReadBackFromGoldenSamples() throws Exception {
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    Instant retired = Instant.parse("2026-01-02T00:00:00Z");
    Map<String, Object> events = new LinkedHashMap<>();
    events.put(
        "signing-keys/KeyAdded-v1",
        new SigningKeys.KeyAdded(AUDIT, "k1", "EdDSA", PRIVATE_JWK, PUBLIC_JWK, created));
    events.put("signing-keys/KeyRetired-v1", new SigningKeys.KeyRetired(AUDIT, "k1", retired));
    events.put("signing-keys/KeyDropped-v1", new SigningKeys.KeyDropped(AUDIT, "k0"));
    GoldenSamples.assertCovers(SigningKeys.Event.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put(
        "signing-keys/State-v1",
        new SigningKeys.State(
            List.of(
                new KeyEntry("k1", "EdDSA", PRIVATE_JWK, PUBLIC_JWK, created, retired),
                new KeyEntry("k2", "EdDSA", PRIVATE_JWK, PUBLIC_JWK, retired, null))));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }
}
