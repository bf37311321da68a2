package dev.troupe.cluster;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /cluster} shows: the members and the shards each hosts.
 *
 * @param self this node's address
 * @param leader the cluster leader's address, or null while there is none
 * @param members every member the node knows, in address order
 */
public record ClusterView(String self, String leader, List<Member> members) {

  /**
   * @param address {@code pekko://troupe@host:port}
   * @param status Joining, Up, Leaving, Exiting, Down, ...
   * @param reachable whether this node's failure detector reaches it
   * @param roles the member's cluster roles
   * @param shards per entity type, the ids of the shards the member hosts
   */
  public record Member(
      String address,
      String status,
      boolean reachable,
      List<String> roles,
      Map<String, List<String>> shards) {}
}
