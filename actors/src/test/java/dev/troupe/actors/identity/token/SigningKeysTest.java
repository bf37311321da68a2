package dev.troupe.actors.identity.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The signing-keys entity: install, rotate, retire and drop. */
class SigningKeysTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString(
                  "troupe.node-name = unit-node\n" + "pekko.actor.provider = local")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));

  private static final RequestContext SYSTEM = new RequestContext("key-rotation", "system", "system");
  private static final Instant T0 = Instant.parse("2026-03-04T00:00:00Z");
  private static final Duration ROTATE = Duration.ofHours(24);
  private static final Duration RETAIN = Duration.ofMinutes(5).plusSeconds(30);

  private final EventSourcedBehaviorTestKit<SigningKeys.Command, SigningKeys.Event, SigningKeys.State>
      kit = EventSourcedBehaviorTestKit.create(testKit.system(), SigningKeys.create("system:jwt"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          SigningKeys.Command, SigningKeys.Event, SigningKeys.State, KeySet>
      install(KeyEntry candidate, Instant now, boolean force) {
    return kit.runCommand(
        replyTo -> new SigningKeys.Install(SYSTEM, candidate, now, ROTATE, RETAIN, force, replyTo));
  }

  private static KeyEntry key() {
    return KeyGenerator.generate("EdDSA", T0);
  }

  @Test
  void installsTheFirstKey() {
    KeyEntry first = key();

    var result = install(first, T0, false);

    SigningKeys.KeyAdded added = result.eventOfType(SigningKeys.KeyAdded.class);
    assertThat(added.kid()).isEqualTo(first.kid());
    assertThat(added.audit().principal()).isEqualTo("system");
    assertThat(result.reply().current().map(KeyEntry::kid)).contains(first.kid());
    assertThat(result.reply().keys()).hasSize(1);
    assertThat(result.reply().keys().get(0).privateJwk()).isEqualTo(first.privateJwk());
  }

  @Test
  void keepsAYoungCurrentKeyUnlessForced() {
    KeyEntry first = key();
    install(first, T0, false);

    var notDue = install(key(), T0.plus(ROTATE).minusSeconds(1), false);
    assertThat(notDue.hasNoEvents()).isTrue();
    assertThat(notDue.reply().current().map(KeyEntry::kid)).contains(first.kid());

    KeyEntry forced = key();
    var rotated = install(forced, T0.plusSeconds(60), true);
    assertThat(rotated.events()).hasSize(2);
    assertThat(rotated.reply().current().map(KeyEntry::kid)).contains(forced.kid());
  }

  @Test
  void rotatesWhenTheCurrentKeyIsOldAndRetiresIt() {
    KeyEntry first = key();
    install(first, T0, false);
    KeyEntry second = key();
    Instant later = T0.plus(ROTATE);

    var result = install(second, later, false);

    assertThat(result.events())
        .extracting(e -> e.getClass().getSimpleName())
        .containsExactly("KeyRetired", "KeyAdded");
    KeySet keys = result.reply();
    assertThat(keys.current().map(KeyEntry::kid)).contains(second.kid());
    KeyEntry old = keys.find(first.kid()).orElseThrow();
    assertThat(old.retiredAt()).isEqualTo(later);
    assertThat(keys.find(second.kid()).orElseThrow().createdAt()).isEqualTo(later);
  }

  @Test
  void dropsRetiredKeysAfterTheirRetention() {
    KeyEntry first = key();
    install(first, T0, false);
    KeyEntry second = key();
    install(second, T0.plusSeconds(10), true);

    var kept = install(null, T0.plusSeconds(10).plus(RETAIN).minusSeconds(1), false);
    assertThat(kept.hasNoEvents()).isTrue();
    assertThat(kept.reply().keys()).hasSize(2);

    var dropped = install(null, T0.plusSeconds(10).plus(RETAIN), false);
    SigningKeys.KeyDropped event = dropped.eventOfType(SigningKeys.KeyDropped.class);
    assertThat(event.kid()).isEqualTo(first.kid());
    assertThat(dropped.reply().keys()).extracting(KeyEntry::kid).containsExactly(second.kid());
  }

  @Test
  void ignoresACandidateWithAKnownKid() {
    KeyEntry first = key();
    install(first, T0, false);

    var result = install(first, T0.plusSeconds(1), true);

    assertThat(result.hasNoEvents()).isTrue();
    assertThat(result.reply().keys()).hasSize(1);
  }

  @Test
  void boundsTheNumberOfKeys() {
    for (int i = 0; i < SigningKeys.MAX_KEYS + 3; i++) {
      install(key(), T0.plusSeconds(i), true);
    }

    assertThat(kit.getState().keys()).hasSize(SigningKeys.MAX_KEYS);
  }

  @Test
  void getKeysAnswersAndStateRecovers() {
    KeyEntry first = key();
    install(first, T0, false);
    install(key(), T0.plusSeconds(5), true);

    var result = kit.<KeySet>runCommand(SigningKeys.GetKeys::new);
    assertThat(result.reply().keys()).hasSize(2);
    assertThat(result.hasNoEvents()).isTrue();

    var restarted = kit.restart();
    assertThat(restarted.state()).isEqualTo(kit.getState());
    assertThat(new KeySet(restarted.state().keys())).isEqualTo(result.reply());
  }

  @Test
  void modelFoldGivesTheEntityState() {
    install(key(), T0, false);
    install(key(), T0.plusSeconds(5), true);
    install(null, T0.plus(Duration.ofHours(1)), false);

    SigningKeys.State folded = SigningKeys.MODEL.emptyState();
    for (Object event : kit.persistenceTestKit().<Object>persistedInStorage("signing-keys|system:jwt")) {
      folded = SigningKeys.MODEL.applyUntyped(folded, event);
    }
    assertThat(folded).isEqualTo(kit.getState());
    assertThat(folded.keys()).hasSize(1);
  }

  @Test
  void eventsNeverShowThePrivateKey() {
    KeyEntry first = key();
    var result = install(first, T0, false);

    assertThat(result.events()).allSatisfy(e -> assertThat(e.toString()).doesNotContain(first.privateJwk()));
    assertThat(List.of(result.reply().toString())).allSatisfy(s -> assertThat(s).doesNotContain("\"d\""));
  }
}
