package dev.troupe.samples.guestbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.audit.RequestContext;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guestbook sample's behaviour, given/when/then with Pekko's persistence test kit. */
class GuestbookTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.provider = local")
              .withFallback(EventSourcedBehaviorTestKit.config())
              .withFallback(ConfigFactory.load()));

  private static final RequestContext BOB = new RequestContext("req-7", "bob", "acme");

  private final EventSourcedBehaviorTestKit<Guestbook.Command, Guestbook.Event, Guestbook.State> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Guestbook.create("acme:party"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          Guestbook.Command, Guestbook.Event, Guestbook.State, StatusReply<Guestbook.Summary>>
      sign(String message) {
    return kit.runCommand(replyTo -> new Guestbook.Sign(BOB, message, replyTo));
  }

  @Test
  void signingAddsAnEntryByTheCaller() {
    var result = sign("  hello  ");

    assertThat(result.reply().getValue().entries())
        .containsExactly(new Guestbook.Entry("bob", "hello"));
    assertThat(result.eventOfType(Guestbook.Signed.class).audit().requestId()).isEqualTo("req-7");
  }

  @Test
  void refusesEmptyAndOverlongMessagesWithoutPersisting() {
    assertThat(sign(" ").reply().isError()).isTrue();
    assertThat(sign("x".repeat(Guestbook.MAX_MESSAGE_LENGTH + 1)).reply().isError()).isTrue();
    assertThat(kit.getState().entries()).isEmpty();
  }

  @Test
  void aClosedBookRefusesSignatures() {
    kit.<StatusReply<Guestbook.Summary>>runCommand(replyTo -> new Guestbook.Close(BOB, replyTo));

    var result = sign("too late");

    assertThat(result.reply().isError()).isTrue();
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void recoversEntriesAfterRestart() {
    sign("one");
    sign("two");

    var restarted = kit.restart();

    assertThat(restarted.state().entries()).hasSize(2);
  }
}
