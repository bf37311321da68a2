package dev.troupe.actors.rooms.hub;

import static dev.troupe.actors.rooms.hub.PresenceViewTest.meta;
import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceDelta;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceSync;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

class PresenceGossipTest {

  private final ActorRef<RoomBroadcast> hubA = TestInbox.<RoomBroadcast>create().getRef();
  private final ActorRef<RoomBroadcast> hubA2 = TestInbox.<RoomBroadcast>create().getRef();
  private final PresenceGossip gossip = new PresenceGossip();
  private final PresenceView view = new PresenceView();
  private final PresenceBatch changes = PresenceBatch.netted();

  private PresenceDelta delta(ActorRef<RoomBroadcast> hub, long version, Map<String, List<PresenceMeta>> joins, Map<String, List<PresenceMeta>> leaves) {
    return new PresenceDelta("lobby", "A", hub, version, joins, leaves);
  }

  @Test
  void deltasApplyInVersionOrderAndDuplicatesAreIgnored() {
    assertThat(gossip.onDelta(delta(hubA, 1, Map.of("alice", List.of(meta("c1", "A"))), Map.of()), 1, view, changes)).isFalse();
    assertThat(gossip.onDelta(delta(hubA, 2, Map.of("bob", List.of(meta("c2", "A"))), Map.of()), 2, view, changes)).isFalse();
    assertThat(gossip.onDelta(delta(hubA, 2, Map.of("bob", List.of(meta("c2", "A"))), Map.of()), 3, view, changes)).isFalse();
    assertThat(gossip.onDelta(delta(hubA, 3, Map.of(), Map.of("alice", List.of(meta("c1", "A")))), 4, view, changes)).isFalse();

    assertThat(view.snapshot("lobby", 10).users()).containsOnlyKeys("bob");
    assertThat(view.connectionCount()).isEqualTo(1);
  }

  @Test
  void aMissedDeltaAsksForTheFullStateWhichThenReplacesTheNode() {
    gossip.onDelta(delta(hubA, 1, Map.of("alice", List.of(meta("c1", "A"))), Map.of()), 1, view, changes);
    boolean ask = gossip.onDelta(delta(hubA, 3, Map.of("carol", List.of(meta("c3", "A"))), Map.of()), 2, view, changes);
    assertThat(ask).isTrue();
    assertThat(view.snapshot("lobby", 10).users()).containsOnlyKeys("alice");

    // The full state at version 3 comes in two parts.
    gossip.onSync(new PresenceSync("lobby", "A", hubA, 3, 0, 2, Map.of("bob", List.of(meta("c2", "A")))), 3, view, changes);
    assertThat(view.snapshot("lobby", 10).users()).containsOnlyKeys("alice");
    gossip.onSync(new PresenceSync("lobby", "A", hubA, 3, 1, 2, Map.of("carol", List.of(meta("c3", "A")))), 4, view, changes);
    assertThat(view.snapshot("lobby", 10).users()).containsOnlyKeys("bob", "carol");

    // Deltas up to 3 are now old, 4 applies.
    gossip.onDelta(delta(hubA, 3, Map.of("zed", List.of(meta("c9", "A"))), Map.of()), 5, view, changes);
    gossip.onDelta(delta(hubA, 4, Map.of("dave", List.of(meta("c4", "A"))), Map.of()), 6, view, changes);
    assertThat(view.snapshot("lobby", 10).users()).containsOnlyKeys("bob", "carol", "dave");
  }

  @Test
  void deltasAfterAHoleAskOnceUntilTheStateComesOrTheAskTimesOut() {
    long timeout = PresenceGossip.REQUEST_TIMEOUT.toNanos();
    gossip.onDelta(delta(hubA, 1, Map.of("alice", List.of(meta("c1", "A"))), Map.of()), 1, view, changes);
    assertThat(gossip.onDelta(delta(hubA, 3, Map.of(), Map.of()), 2, view, changes)).isTrue();
    assertThat(gossip.onDelta(delta(hubA, 4, Map.of(), Map.of()), 3, view, changes)).isFalse();
    assertThat(gossip.onVersion("A", hubA, 5, 4, view, changes)).isFalse();

    // No answer in time: ask again.
    assertThat(gossip.onDelta(delta(hubA, 5, Map.of(), Map.of()), 2 + timeout, view, changes)).isTrue();
    gossip.onSync(new PresenceSync("lobby", "A", hubA, 5, 0, 1, Map.of()), 3 + timeout, view, changes);
    // Answered: the next hole asks at once.
    assertThat(gossip.onDelta(delta(hubA, 7, Map.of(), Map.of()), 4 + timeout, view, changes)).isTrue();
  }

  @Test
  void aHeartbeatWithAnotherVersionAsksForTheFullState() {
    gossip.onDelta(delta(hubA, 1, Map.of("alice", List.of(meta("c1", "A"))), Map.of()), 1, view, changes);
    assertThat(gossip.onVersion("A", hubA, 1, 2, view, changes)).isFalse();
    assertThat(gossip.onVersion("A", hubA, 2, 3, view, changes)).isTrue();
    assertThat(gossip.synced()).isEqualTo(1);
  }

  @Test
  void aNewHubOnANodeReplacesWhatItsPredecessorHad() {
    gossip.onDelta(delta(hubA, 1, Map.of("alice", List.of(meta("c1", "A"))), Map.of()), 1, view, changes);
    gossip.onDelta(delta(hubA, 2, Map.of("bob", List.of(meta("c2", "A"))), Map.of()), 2, view, changes);
    changes.clear();

    boolean ask = gossip.onDelta(delta(hubA2, 1, Map.of("carol", List.of(meta("c3", "A"))), Map.of()), 3, view, changes);

    assertThat(ask).isFalse();
    assertThat(view.snapshot("lobby", 10).users()).containsOnlyKeys("carol");
    assertThat(changes.leaves()).containsOnlyKeys("alice", "bob");
  }

  @Test
  void aDroppedOrSilentNodeLeaves() {
    gossip.onDelta(delta(hubA, 1, Map.of("alice", List.of(meta("c1", "A"))), Map.of()), 100, view, changes);
    gossip.onDelta(new PresenceDelta("lobby", "B", hubA2, 1, Map.of("bob", List.of(meta("c2", "B"))), Map.of()), 200, view, changes);
    changes.clear();

    assertThat(gossip.expire(150, view, changes)).isEqualTo(1);
    assertThat(view.snapshot("lobby", 10).users()).containsOnlyKeys("bob");

    gossip.dropNode("B", view, changes);
    assertThat(view.connectionCount()).isZero();
    assertThat(changes.leaves()).containsOnlyKeys("alice", "bob");
  }

  @Test
  void entriesClaimingAnotherNodeAreIgnored() {
    gossip.onDelta(delta(hubA, 1, Map.of("mallory", List.of(meta("c1", "B"))), Map.of()), 1, view, changes);
    assertThat(view.connectionCount()).isZero();
  }
}
