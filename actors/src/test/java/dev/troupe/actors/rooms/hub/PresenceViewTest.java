package dev.troupe.actors.rooms.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.PresenceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceViewTest {

  private static final Instant T = Instant.parse("2026-05-01T10:00:00Z");

  static PresenceMeta meta(String connection, String node) {
    return new PresenceMeta(connection, node, "ws", T);
  }

  @Test
  void aUserWithTwoConnectionsOnTwoNodesIsOneEntryWithTwoMetas() {
    PresenceView view = new PresenceView();
    PresenceBatch changes = PresenceBatch.netted();
    view.add("alice", meta("c1", "n1"), changes);
    view.add("alice", meta("c2", "n2"), changes);
    view.add("bob", meta("c3", "n1"), changes);

    PresenceState state = view.snapshot("lobby", 10);
    assertThat(state.userCount()).isEqualTo(2);
    assertThat(state.connectionCount()).isEqualTo(3);
    assertThat(state.users().get("alice")).extracting(PresenceMeta::connection).containsExactlyInAnyOrder("c1", "c2");
    assertThat(state.truncated()).isFalse();
  }

  @Test
  void addingTwiceAndRemovingUnknownChangeNothing() {
    PresenceView view = new PresenceView();
    PresenceBatch changes = PresenceBatch.netted();
    assertThat(view.add("alice", meta("c1", "n1"), changes)).isTrue();
    assertThat(view.add("alice", meta("c1", "n1"), changes)).isFalse();
    assertThat(view.remove("alice", meta("c9", "n1"), changes)).isFalse();
    assertThat(view.connectionCount()).isEqualTo(1);
    assertThat(changes.size()).isEqualTo(1);
  }

  @Test
  void theLastConnectionLeavingRemovesTheUser() {
    PresenceView view = new PresenceView();
    PresenceBatch changes = PresenceBatch.netted();
    view.add("alice", meta("c1", "n1"), changes);
    view.add("alice", meta("c2", "n1"), changes);
    view.remove("alice", meta("c1", "n1"), changes);
    assertThat(view.userCount()).isEqualTo(1);
    view.remove("alice", meta("c2", "n1"), changes);
    assertThat(view.userCount()).isZero();
    assertThat(view.connectionCount()).isZero();
    assertThat(view.snapshot("lobby", 10).users()).isEmpty();
  }

  @Test
  void replacingANodeRecordsOnlyTheDifference() {
    PresenceView view = new PresenceView();
    PresenceBatch changes = PresenceBatch.netted();
    view.add("alice", meta("c1", "n2"), changes);
    view.add("bob", meta("c2", "n2"), changes);
    view.add("carol", meta("c3", "n1"), changes);
    changes.clear();

    view.replaceNode("n2", Map.of("bob", List.of(meta("c2", "n2")), "dave", List.of(meta("c4", "n2"))), changes);

    assertThat(changes.leaves()).containsOnlyKeys("alice");
    assertThat(changes.joins()).containsOnlyKeys("dave");
    assertThat(view.snapshot("lobby", 10).users()).containsOnlyKeys("bob", "carol", "dave");
  }

  @Test
  void droppingANodeLeavesItsConnectionsAndKeepsTheOthers() {
    PresenceView view = new PresenceView();
    PresenceBatch changes = PresenceBatch.netted();
    view.add("alice", meta("c1", "n1"), changes);
    view.add("alice", meta("c2", "n2"), changes);
    view.add("bob", meta("c3", "n2"), changes);
    changes.clear();

    view.dropNode("n2", changes);

    assertThat(changes.leaves()).containsOnlyKeys("alice", "bob");
    assertThat(changes.joins()).isEmpty();
    PresenceState state = view.snapshot("lobby", 10);
    assertThat(state.userCount()).isEqualTo(1);
    assertThat(state.users().get("alice")).extracting(PresenceMeta::node).containsExactly("n1");
  }

  @Test
  void aboveTheThresholdOnlyCountsAreGiven() {
    PresenceView view = new PresenceView();
    PresenceBatch changes = PresenceBatch.netted();
    for (int i = 0; i < 5; i++) {
      view.add("user" + i, meta("c" + i, "n1"), changes);
    }
    view.add("user0", meta("extra", "n2"), changes);

    assertThat(view.snapshot("lobby", 5).truncated()).isFalse();
    PresenceState counts = view.snapshot("lobby", 4);
    assertThat(counts.truncated()).isTrue();
    assertThat(counts.users()).isEmpty();
    assertThat(counts.userCount()).isEqualTo(5);
    assertThat(counts.connectionCount()).isEqualTo(6);
  }

  @Test
  void aFewUsersWithManyConnectionsAreCountedNotListed() {
    PresenceView view = new PresenceView();
    PresenceBatch changes = PresenceBatch.netted();
    for (int i = 0; i < 10; i++) {
      view.add("bot", meta("c" + i, "n1"), changes);
    }
    assertThat(view.snapshot("lobby", 5).truncated()).isFalse();
    view.add("bot", meta("c10", "n1"), changes);

    assertThat(view.listed(5)).isFalse();
    PresenceState counts = view.snapshot("lobby", 5);
    assertThat(counts.truncated()).isTrue();
    assertThat(counts.users()).isEmpty();
    assertThat(counts.userCount()).isEqualTo(1);
    assertThat(counts.connectionCount()).isEqualTo(11);
  }
}
