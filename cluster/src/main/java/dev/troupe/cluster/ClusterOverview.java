package dev.troupe.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;

/** Answers what the cluster looks like: members, their shards, and where an entity lives. */
public final class ClusterOverview {

  private final ActorSystem<?> system;
  private final Duration timeout;

  public ClusterOverview(ActorSystem<?> system) {
    this.system = system;
    this.timeout = system.settings().config().getDuration("troupe.cluster.query-timeout");
  }

  /** The members and, per member, the shards of every registered entity type. */
  public CompletionStage<ClusterView> view() {
    List<EntityTypeKey<?>> keys = ShardedTypes.get(system).all();
    Map<String, Map<String, List<String>>> shardsByNode = new HashMap<>();
    CompletableFuture<Void> all = CompletableFuture.completedFuture(null);
    for (EntityTypeKey<?> key : keys) {
      all =
          all.thenCombine(
              stats(key).toCompletableFuture(),
              (ignored, stats) -> {
                synchronized (shardsByNode) {
                  stats
                      .getRegions()
                      .forEach(
                          (address, region) ->
                              shardsByNode
                                  .computeIfAbsent(address.toString(), a -> new TreeMap<>())
                                  .put(key.name(), sortedShards(region)));
                }
                return null;
              });
    }
    return all.thenApply(ignored -> render(shardsByNode));
  }

  /** Which member hosts the shard of an entity, for operators and tests. */
  public CompletionStage<EntityLocation> locate(EntityTypeKey<?> key, String entityId) {
    String shard = ShardedTypes.get(system).shardOf(entityId);
    return stats(key)
        .thenApply(
            stats -> {
              String node = null;
              for (Map.Entry<Address, ShardRegion.ShardRegionStats> region :
                  stats.getRegions().entrySet()) {
                if (region.getValue().getStats().containsKey(shard)) {
                  node = region.getKey().toString();
                }
              }
              return new EntityLocation(key.name(), entityId, shard, node);
            });
  }

  private CompletionStage<ShardRegion.ClusterShardingStats> stats(EntityTypeKey<?> key) {
    return DirectStages.direct(
        AskPattern.ask(
            ClusterSharding.get(system).shardState(),
            replyTo -> new GetClusterShardingStats(key, timeout, replyTo),
            timeout.plus(timeout),
            system.scheduler()));
  }

  private static List<String> sortedShards(ShardRegion.ShardRegionStats region) {
    List<String> shards = new ArrayList<>(region.getStats().keySet());
    shards.sort(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
    return shards;
  }

  private ClusterView render(Map<String, Map<String, List<String>>> shardsByNode) {
    Cluster cluster = Cluster.get(system);
    var state = cluster.state();
    List<ClusterView.Member> members = new ArrayList<>();
    Iterable<Member> all = state.getMembers();
    StreamSupport.stream(all.spliterator(), false)
        .sorted(Comparator.comparing(m -> m.address().toString()))
        .forEach(
            m ->
                members.add(
                    new ClusterView.Member(
                        m.address().toString(),
                        m.status().toString(),
                        !state.getUnreachable().contains(m),
                        List.copyOf(new java.util.TreeSet<>(m.getRoles())),
                        shardsByNode.getOrDefault(m.address().toString(), Map.of()))));
    Address leader = state.getLeader();
    return new ClusterView(
        cluster.selfMember().address().toString(),
        leader == null ? null : leader.toString(),
        members);
  }
}
