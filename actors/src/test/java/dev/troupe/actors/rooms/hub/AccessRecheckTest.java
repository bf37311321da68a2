package dev.troupe.actors.rooms.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.rooms.hub.AccessRecheck.Who;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessRecheckTest {

  private final AccessRecheck recheck = new AccessRecheck();
  private final List<Who> present =
      List.of(new Who("ada", true), new Who("ada", false), new Who("bob", false));

  @Test
  void nothingIsDueUntilSomeoneIsAskedFor() {
    assertThat(recheck.due()).isFalse();
    assertThat(recheck.start(present)).isEmpty();
    recheck.user("bob");
    assertThat(recheck.due()).isTrue();
  }

  @Test
  void aUserIsAskedAboutWithEachAdminFlagTheyJoinedWith() {
    recheck.user("ada");
    recheck.user("gone");
    assertThat(recheck.start(present)).containsExactly(new Who("ada", true), new Who("ada", false));
  }

  @Test
  void requestsDuringARoundWaitForTheNextOne() {
    recheck.user("bob");
    assertThat(recheck.start(present)).containsExactly(new Who("bob", false));
    recheck.everyone();
    assertThat(recheck.due()).as("a round is running").isFalse();
    assertThat(recheck.start(present)).isEmpty();
    recheck.finished();
    assertThat(recheck.start(present)).containsExactlyElementsOf(present);
    recheck.finished();
    assertThat(recheck.due()).isFalse();
  }

  @Test
  void aRoundWithNobodyPresentIsNotRunning() {
    recheck.user("gone");
    assertThat(recheck.start(present)).isEmpty();
    recheck.user("bob");
    assertThat(recheck.start(present)).containsExactly(new Who("bob", false));
  }
}
