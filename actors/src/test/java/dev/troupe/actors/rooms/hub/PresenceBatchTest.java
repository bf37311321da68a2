package dev.troupe.actors.rooms.hub;

import static dev.troupe.actors.rooms.hub.PresenceViewTest.meta;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceBatchTest {

  @Test
  void aJoinAndLeaveInOneBatchIsNeverMentioned() {
    PresenceBatch batch = PresenceBatch.netted();
    batch.joined("alice", meta("c1", "n1"));
    batch.left("alice", meta("c1", "n1"));
    assertThat(batch.isEmpty()).isTrue();
  }

  @Test
  void aLeaveAndComeBackInOneBatchIsNoChange() {
    PresenceBatch batch = PresenceBatch.netted();
    batch.left("alice", meta("c1", "n1"));
    batch.joined("alice", meta("c1", "n1"));
    assertThat(batch.isEmpty()).isTrue();
  }

  @Test
  void aClientBatchKeepsTheLeaveOfAJoinItHasNotSentYet() {
    PresenceBatch batch = PresenceBatch.forClients();
    batch.joined("alice", meta("c1", "n1"));
    batch.joined("bob", meta("c2", "n1"));
    batch.left("alice", meta("c1", "n1"));
    assertThat(batch.leaves()).containsOnlyKeys("alice");
    assertThat(batch.joins()).containsOnlyKeys("bob");
  }

  @Test
  void aClientBatchSaysBothALeaveAndTheComeBack() {
    PresenceBatch batch = PresenceBatch.forClients();
    batch.left("alice", meta("c1", "n1"));
    batch.joined("alice", meta("c1", "n1"));
    assertThat(batch.leaves()).containsOnlyKeys("alice");
    assertThat(batch.joins()).containsOnlyKeys("alice");
  }

  @Test
  void joinsAndLeavesAreGroupedByUser() {
    PresenceBatch batch = PresenceBatch.netted();
    batch.joined("alice", meta("c1", "n1"));
    batch.joined("alice", meta("c2", "n2"));
    batch.left("bob", meta("c3", "n1"));
    assertThat(batch.joins().get("alice")).hasSize(2);
    assertThat(batch.leaves()).containsOnlyKeys("bob");
  }

  @Test
  void aBigBatchDrainsInBoundedPartsWithEveryChangeOnce() {
    PresenceBatch batch = PresenceBatch.netted();
    for (int i = 0; i < 1100; i++) {
      batch.joined("user" + (i % 300), meta("j" + i, "n1"));
    }
    for (int i = 0; i < 150; i++) {
      batch.left("gone" + i, meta("l" + i, "n1"));
    }
    List<PresenceBatch.Part> parts = batch.drain(500);
    assertThat(parts).hasSize(3);
    int joins = 0;
    int leaves = 0;
    for (PresenceBatch.Part part : parts) {
      int size = part.joins().values().stream().mapToInt(List::size).sum()
          + part.leaves().values().stream().mapToInt(List::size).sum();
      assertThat(size).isLessThanOrEqualTo(500);
      joins += part.joins().values().stream().mapToInt(List::size).sum();
      leaves += part.leaves().values().stream().mapToInt(List::size).sum();
    }
    assertThat(joins).isEqualTo(1100);
    assertThat(leaves).isEqualTo(150);
    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.drain(500)).isEmpty();
  }

  @Test
  void chunksSplitAUserMapAndAlwaysGiveOne() {
    assertThat(PresenceBatch.chunks(java.util.Map.of(), 500)).hasSize(1);
    var users = new java.util.LinkedHashMap<String, List<dev.troupe.actors.rooms.PresenceMeta>>();
    users.put("alice", List.of(meta("c1", "n1"), meta("c2", "n1"), meta("c3", "n1")));
    users.put("bob", List.of(meta("c4", "n1")));
    var chunks = PresenceBatch.chunks(users, 2);
    assertThat(chunks).hasSize(2);
    assertThat(chunks.get(0).get("alice")).hasSize(2);
    assertThat(chunks.get(1).get("alice")).hasSize(1);
    assertThat(chunks.get(1).get("bob")).hasSize(1);
  }
}
