package dev.troupe.cluster;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Makes this node a member: it joins the nodes named in {@code troupe.cluster.join} (host:port of
 * their remoting), forms a new cluster of its own when none are named, or, with {@code
 * troupe.cluster.bootstrap = on}, lets Cluster Bootstrap find the others (Kubernetes).
 */
public final class ClusterJoin {

  private ClusterJoin() {}

  /** Starts Pekko Management (health checks, cluster HTTP) and joins. */
  public static void start(ActorSystem<?> system) {
    var config = system.settings().config();
    if (config.getBoolean("troupe.cluster.management.enabled")) {
      PekkoManagement.get(system).start();
    }
    if (config.getBoolean("troupe.cluster.bootstrap")) {
      ClusterBootstrap.get(system).start();
      return;
    }
    List<Address> seeds = seedAddresses(system.name(), config.getStringList("troupe.cluster.join"));
    Cluster cluster = Cluster.get(system);
    if (seeds.isEmpty()) {
      seeds = List.of(cluster.selfMember().address());
    }
    cluster.manager().tell(new JoinSeedNodes(seeds));
  }

  /** The remoting addresses of {@code host:port} entries, in the given system. */
  public static List<Address> seedAddresses(String systemName, List<String> hostPorts) {
    List<Address> seeds = new ArrayList<>();
    for (String hostPort : hostPorts) {
      String trimmed = hostPort.trim();
      if (!trimmed.isEmpty()) {
        seeds.add(AddressFromURIString.parse("pekko://" + systemName + "@" + trimmed));
      }
    }
    return seeds;
  }
}
