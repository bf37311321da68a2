package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.hub.HubRequest.GetPresence;
import dev.troupe.actors.rooms.hub.HubRequest.Join;
import dev.troupe.actors.rooms.hub.HubRequest.Leave;
import dev.troupe.actors.rooms.room.RoomJournal;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * This node's room hubs, one per room with local clients: spawns a {@link RoomHub} on the first
 * join (or presence query), forwards requests to it in order, stops it when it has been idle for
 * {@code hub-idle-stop} (with it its topic subscription), and tells every hub when a node leaves
 * the cluster.
 */
public final class RoomHubs extends AbstractBehavior<RoomHubs.Command> {

  /** What the node's hubs handle: {@link HubRequest}s and the messages below. */
  public interface Command {}

  /**
   * A hub has had no client for {@code hub-idle-stop}; {@code received} is how many requests it
   * got, so one still on its way keeps it.
   */
  record HubIdle(String key, ActorRef<RoomHub.Command> hub, long received) implements Command {}

  /** The keys ({@code org:room}) of the running hubs (for tests and diagnostics). */
  public record ListHubs(ActorRef<Set<String>> replyTo) implements Command {}

  private record MemberGone(ClusterEvent.MemberRemoved event) implements Command {}

  private static final class Entry {
    final ActorRef<RoomHub.Command> hub;
    long forwarded;

    Entry(ActorRef<RoomHub.Command> hub) {
      this.hub = hub;
    }
  }

  private final RoomHub.Env env;
  private final Map<String, Entry> hubs = new HashMap<>();
  private long spawned;

  /**
   * @param access asks a room about a local user's access again
   * @param selfNode this node's cluster address, as presence metas carry it
   */
  public static Behavior<Command> create(
      RoomsSettings settings,
      RoomJournal journal,
      RoomAccess access,
      ClientRooms clients,
      String selfNode) {
    return Behaviors.setup(
        context ->
            new RoomHubs(context, new RoomHub.Env(settings, journal, access, clients, selfNode)));
  }

  private RoomHubs(ActorContext<Command> context, RoomHub.Env env) {
    super(context);
    this.env = env;
    ActorRef<ClusterEvent.MemberRemoved> removed =
        context.messageAdapter(ClusterEvent.MemberRemoved.class, MemberGone::new);
    Cluster.get(context.getSystem()).subscriptions().tell(Subscribe.create(removed, ClusterEvent.MemberRemoved.class));
  }

  /** The key of a room's hub. */
  static String key(String org, String room) {
    return org + ":" + room;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(HubRequest.class, this::onRequest)
        .onMessage(HubIdle.class, this::onIdle)
        .onMessage(MemberGone.class, this::onMemberGone)
        .onMessage(ListHubs.class, this::onList)
        .build();
  }

  private Behavior<Command> onRequest(HubRequest request) {
    String key = key(request.org(), request.room());
    Entry entry = hubs.get(key);
    if (entry == null) {
      if (request instanceof Join join) {
        entry = spawn(key, request.org(), request.room(), join.info().head());
      } else if (request instanceof GetPresence query) {
        entry = spawn(key, request.org(), request.room(), query.info().head());
      } else {
        // Nothing here for the room: a leave is acknowledged, a signal goes nowhere.
        if (request instanceof Leave leave && leave.ref() != null) {
          leave.client().offer(new RoomOutput.Left(leave.room(), leave.ref()));
        }
        return this;
      }
    }
    entry.forwarded++;
    entry.hub.tell(request);
    return this;
  }

  private Entry spawn(String key, String org, String room, long head) {
    ActorRef<RoomHub.Command> hub =
        getContext().spawn(RoomHub.create(env, org, room, head, getContext().getSelf()), "room-" + ++spawned);
    Entry entry = new Entry(hub);
    hubs.put(key, entry);
    return entry;
  }

  private Behavior<Command> onIdle(HubIdle idle) {
    Entry entry = hubs.get(idle.key());
    if (entry != null && entry.hub.equals(idle.hub()) && entry.forwarded == idle.received()) {
      hubs.remove(idle.key());
      getContext().stop(entry.hub);
    }
    return this;
  }

  private Behavior<Command> onMemberGone(MemberGone gone) {
    UniqueAddress left = gone.event().member().uniqueAddress();
    if (newerIncarnation(left)) {
      // The node restarted on the same address and is back: the entries under that address are
      // (or will be) the new one's. Hubs drop the old one's when they hear of the new hub.
      return this;
    }
    RoomHub.NodeRemoved removed = new RoomHub.NodeRemoved(left.address().toString());
    hubs.values().forEach(entry -> entry.hub.tell(removed));
    return this;
  }

  /** Whether the cluster has a member on the same address as {@code left} but another incarnation. */
  private boolean newerIncarnation(UniqueAddress left) {
    for (Member member : Cluster.get(getContext().getSystem()).state().getMembers()) {
      UniqueAddress other = member.uniqueAddress();
      if (other.address().equals(left.address()) && other.longUid() != left.longUid()) {
        return true;
      }
    }
    return false;
  }

  private Behavior<Command> onList(ListHubs list) {
    list.replyTo().tell(Set.copyOf(hubs.keySet()));
    return this;
  }
}
