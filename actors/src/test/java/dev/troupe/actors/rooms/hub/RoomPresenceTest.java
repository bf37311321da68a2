package dev.troupe.actors.rooms.hub;

import static dev.troupe.actors.rooms.hub.PresenceViewTest.meta;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceDelta;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

class RoomPresenceTest {

  private final ActorRef<RoomBroadcast> self = TestInbox.<RoomBroadcast>create().getRef();
  private final ActorRef<RoomBroadcast> other = TestInbox.<RoomBroadcast>create().getRef();
  private final RoomPresence presence = new RoomPresence("lobby", "n1", self, 10, 500);

  @Test
  void clientsHearOfALeaveWhoseJoinWasNotSentWhileOtherNodesHearOfNeither() {
    presence.localJoined("ann", meta("a", "n1"));
    presence.localJoined("bob", meta("b", "n1"));
    assertThat(presence.snapshot().users()).containsKey("ann");
    presence.localLeft("ann", meta("a", "n1"));

    RoomOutput.PresenceDiff diff = presence.takeDiff().orElseThrow();
    assertThat(diff.leaves()).containsOnlyKeys("ann");
    assertThat(diff.joins()).containsOnlyKeys("bob");
    assertThat(presence.takeDiff()).isEmpty();

    List<PresenceDelta> deltas = presence.deltas();
    assertThat(deltas).hasSize(1);
    assertThat(deltas.get(0).version()).isEqualTo(1);
    assertThat(deltas.get(0).joins()).containsOnlyKeys("bob");
    assertThat(deltas.get(0).leaves()).isEmpty();
    assertThat(presence.heartbeat().version()).isEqualTo(1);
  }

  @Test
  void anotherNodesHoleAsksItsHubOnceAndItsOwnBroadcastsAreIgnored() {
    presence.onDelta(new PresenceDelta("lobby", "n2", other, 1, Map.of("cy", List.of(meta("c", "n2"))), Map.of()), 1);
    assertThat(presence.connectionCount()).isEqualTo(1);
    assertThat(presence.onDelta(new PresenceDelta("lobby", "n2", other, 3, Map.of(), Map.of()), 2)).isPresent();
    assertThat(presence.onDelta(new PresenceDelta("lobby", "n2", other, 4, Map.of(), Map.of()), 3)).isEmpty();
    assertThat(presence.onDelta(new PresenceDelta("lobby", "n1", other, 9, Map.of(), Map.of()), 4)).isEmpty();

    presence.dropNode("n2");
    assertThat(presence.connectionCount()).isZero();
    assertThat(presence.takeDiff().orElseThrow().leaves()).containsOnlyKeys("cy");
  }
}
