package dev.troupe.http.security;

import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's share of a cluster-wide rate limit, so no request needs a network round trip.
 *
 * <p>The rule: with {@code n} members Up (at least 1), each node grants {@code limit * min(1, 1.5 /
 * n)} (rate and burst alike). Spread evenly over the nodes by a load balancer a client gets {@code
 * min(n, 1.5)} times the limit at most: never more than 1.5x cluster-wide. A client pinned to one
 * node still gets 1.5/n of the limit (not just 1/n), and a single node grants the limit itself.
 * {@code n} follows the membership through a cluster event subscription (no polling); a node not
 * yet Up counts as 1.
 */
public final class ClusterShare implements Extension {

  private static final Logger log = LoggerFactory.getLogger(ClusterShare.class);

  /** The most a cluster grants a client, as a multiple of the configured limit. */
  static final double CLUSTER_FACTOR = 1.5;

  private volatile int upMembers = 1;

  private ClusterShare(ActorSystem<?> system) {
    String provider = system.settings().config().getString("pekko.actor.provider");
    if (!provider.equals("cluster") && !provider.endsWith("ClusterActorRefProvider")) {
      log.debug("no cluster ({}); rate limits are not shared", provider);
      return;
    }
    system.systemActorOf(watcher(Cluster.get(system)), "troupe-cluster-share", Props.empty());
  }

  public static ClusterShare get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Members Up as last seen (at least 1). */
  public int upMembers() {
    return upMembers;
  }

  /** The fraction of a limit this node grants now. */
  public double fraction() {
    return fraction(upMembers);
  }

  /** {@code min(1, 1.5 / max(1, n))}. */
  static double fraction(int upMembers) {
    return Math.min(1.0, CLUSTER_FACTOR / Math.max(1, upMembers));
  }

  /**
   * Follows the members Up from the events themselves (the initial state comes as events too):
   * {@code Cluster.state()} can lag behind the event being handled.
   */
  private Behavior<ClusterEvent.MemberEvent> watcher(Cluster cluster) {
    return Behaviors.setup(
        context -> {
          cluster
              .subscriptions()
              .tell(Subscribe.create(context.getSelf(), ClusterEvent.MemberEvent.class));
          Set<UniqueAddress> up = new HashSet<>();
          return Behaviors.receiveMessage(
              event -> {
                Member member = event.member();
                if (MemberStatus.up().equals(member.status())) {
                  up.add(member.uniqueAddress());
                } else {
                  up.remove(member.uniqueAddress());
                }
                int now = Math.max(1, up.size());
                if (now != upMembers) {
                  log.debug("rate limit share: {} members up", now);
                }
                upMembers = now;
                return Behaviors.same();
              });
        });
  }

  private static final class Id extends ExtensionId<ClusterShare> {
    static final Id INSTANCE = new Id();

    @Override
    public ClusterShare createExtension(ActorSystem<?> system) {
      return new ClusterShare(system);
    }
  }
}
