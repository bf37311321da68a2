package dev.troupe.actors.identity.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.identity.IdentityTestKit;
import dev.troupe.persistence.audit.AuditRenderer;
import dev.troupe.persistence.audit.RequestContext;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The cluster's key id secret: the first candidate wins for good, and the audit never shows it. */
class KeyIdSecretTest {

  private static final ActorTestKit testKit = IdentityTestKit.create();
  private static final RequestContext CONTEXT = new RequestContext("r", "system", "system");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void firstCandidateIsKeptForGood() {
    EventSourcedBehaviorTestKit<KeyIdSecret.Command, KeyIdSecret.Event, KeyIdSecret.State> kit =
        EventSourcedBehaviorTestKit.create(testKit.system(), KeyIdSecret.create("system:ids"));
    var first = kit.<KeyIdSecret.Answer>runCommand(reply -> new KeyIdSecret.Get(CONTEXT, "Zmlyc3Q=", reply));
    assertThat(first.events()).hasSize(1);
    assertThat(first.reply().secret()).isEqualTo("Zmlyc3Q=");
    var second = kit.<KeyIdSecret.Answer>runCommand(reply -> new KeyIdSecret.Get(CONTEXT, "c2Vjb25k", reply));
    assertThat(second.hasNoEvents()).isTrue();
    assertThat(second.reply().secret()).isEqualTo("Zmlyc3Q=");
    kit.restart();
    assertThat(kit.getState().secret()).isEqualTo("Zmlyc3Q=");

    AuditRenderer renderer = new AuditRenderer();
    assertThat(renderer.event(KeyIdSecret.MODEL, 1, first.event()).payload().toString()).doesNotContain("Zmlyc3Q=");
    assertThat(renderer.state(KeyIdSecret.MODEL, kit.getState()).toString()).doesNotContain("Zmlyc3Q=");
    assertThat(first.event().toString()).doesNotContain("Zmlyc3Q=");
  }
}
