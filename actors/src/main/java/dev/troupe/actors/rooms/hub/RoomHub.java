package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.hub.HubRequest.GetPresence;
import dev.troupe.actors.rooms.hub.HubRequest.Join;
import dev.troupe.actors.rooms.hub.HubRequest.Leave;
import dev.troupe.actors.rooms.hub.HubRequest.Send;
import dev.troupe.actors.rooms.hub.RoomBroadcast.Closed;
import dev.troupe.actors.rooms.hub.RoomBroadcast.Head;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceDelta;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceRequest;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceSync;
import dev.troupe.actors.rooms.hub.RoomBroadcast.PresenceVersion;
import dev.troupe.actors.rooms.hub.RoomBroadcast.Published;
import dev.troupe.actors.rooms.hub.RoomBroadcast.Removal;
import dev.troupe.actors.rooms.hub.RoomBroadcast.Signal;
import dev.troupe.actors.rooms.room.RoomJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * One room on one node, while the node has clients in it: subscribed to the room's topic (its own
 * {@link Topic} child), it hands each message to every local client exactly once and in offset
 * order ({@link MessageOrder}, holes read back from the journal), and keeps the room's presence
 * ({@link PresenceView}): its node's connections, gossiped to the other nodes' hubs in batches,
 * and theirs. Clients get outputs by {@link RoomClient#offer}, which never waits: a client whose
 * buffer is full is cut off alone.
 */
public final class RoomHub extends AbstractBehavior<RoomHub.Command> {

  /** What a hub handles: {@link HubRequest}s, {@link RoomBroadcast}s and its own ticks. */
  public interface Command {}

  /** Another node left the cluster: its connections leave. */
  record NodeRemoved(String node) implements Command {}

  private enum Flush implements Command {
    INSTANCE
  }

  private enum Heartbeat implements Command {
    INSTANCE
  }

  private enum WarmupTick implements Command {
    INSTANCE
  }

  private enum IdleTimeout implements Command {
    INSTANCE
  }

  private enum RetryFill implements Command {
    INSTANCE
  }

  private record Stats(Topic.TopicStats stats) implements Command {}

  private record Filled(List<RoomMessage> messages, Throwable failure) implements Command {}

  private record Rechecked(RoomInfo info, Throwable failure) implements Command {}

  /** Most connections per presence message on the topic (keeps each well under a frame). */
  static final int MAX_PER_MESSAGE = 500;

  /** Most messages one journal read of a hole returns; a longer hole takes several. */
  static final int FILL_BATCH = 1000;

  /** How often a new hub looks for new topic instances to ask for presence. */
  private static final Duration WARMUP_TICK = Duration.ofMillis(100);

  /** How long a new hub keeps looking. */
  private static final Duration WARMUP = Duration.ofSeconds(3);

  /** How long a presence query to a new hub waits for the other nodes at most. */
  private static final Duration PRESENCE_WAIT = Duration.ofMillis(500);

  /** Node-wide things every hub uses. */
  record Env(RoomsSettings settings, RoomJournal journal, ClientRooms clients, String selfNode) {}

  /** A local client in the room. */
  private static final class Member {
    final RoomClient client;
    final PresenceMeta meta;
    Object token;
    /** Live messages at or below this offset were covered by the join's replay or since. */
    long skipUntil;

    Member(RoomClient client, PresenceMeta meta) {
      this.client = client;
      this.meta = meta;
    }
  }

  private final Env env;
  private final String org;
  private final String room;
  private final String key;
  private final ActorRef<RoomHubs.Command> parent;
  private final TimerScheduler<Command> timers;
  private final ActorRef<Topic.Command<RoomBroadcast>> topic;
  private final ActorRef<RoomBroadcast> self;
  private final ActorRef<Topic.TopicStats> statsAdapter;

  private final Map<String, Member> members = new LinkedHashMap<>();
  private final MessageOrder order;
  private final PresenceView view = new PresenceView();
  private final PresenceGossip gossip = new PresenceGossip();
  private final PresenceBatch outgoing = new PresenceBatch();
  private final PresenceBatch diff = new PresenceBatch();
  private long version;

  /** Requests received from {@link RoomHubs}, to stop only when none is on its way. */
  private long received;

  private final long startedAt = System.nanoTime();
  private int instancesAsked;
  /** How to ask the room for its head once the warmup is over (the latest join's). */
  private java.util.function.Supplier<java.util.concurrent.CompletionStage<RoomInfo>> recheck;
  private boolean presenceReady;
  private final List<ActorRef<dev.troupe.actors.rooms.PresenceState>> waitingPresence = new ArrayList<>();

  static Behavior<Command> create(Env env, String org, String room, long head, ActorRef<RoomHubs.Command> parent) {
    Behavior<Command> hub =
        Behaviors.setup(
            context ->
                Behaviors.withTimers(timers -> new RoomHub(context, timers, env, org, room, head, parent)));
    // A bug in one message must not drop every client of the room.
    return Behaviors.supervise(hub).onFailure(SupervisorStrategy.resume());
  }

  private RoomHub(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      Env env,
      String org,
      String room,
      long head,
      ActorRef<RoomHubs.Command> parent) {
    super(context);
    this.env = env;
    this.org = org;
    this.room = room;
    this.key = RoomHubs.key(org, room);
    this.parent = parent;
    this.timers = timers;
    this.order = new MessageOrder(head);
    this.self = context.getSelf().narrow();
    this.statsAdapter = context.messageAdapter(Topic.TopicStats.class, Stats::new);
    this.topic = context.spawn(Topic.create(RoomBroadcast.class, RoomTopics.name(org, room)), "topic");
    topic.tell(Topic.subscribe(self));
    publish(new PresenceRequest(room, env.selfNode(), self, 0));
    timers.startTimerAtFixedRate(WarmupTick.INSTANCE, WARMUP_TICK);
    timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, env.settings().presenceRefreshInterval());
    timers.startSingleTimer(IdleTimeout.INSTANCE, env.settings().hubIdleStop());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, this::onJoin)
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Send.class, this::onSend)
        .onMessage(GetPresence.class, this::onGetPresence)
        .onMessage(Published.class, this::onPublished)
        .onMessage(Head.class, this::onHead)
        .onMessage(Removal.class, this::onRemoval)
        .onMessage(Closed.class, this::onClosed)
        .onMessage(Signal.class, this::onSignal)
        .onMessage(PresenceDelta.class, this::onDelta)
        .onMessage(PresenceSync.class, this::onSync)
        .onMessage(PresenceRequest.class, this::onRequest)
        .onMessage(PresenceVersion.class, this::onVersion)
        .onMessage(NodeRemoved.class, this::onNodeRemoved)
        .onMessageEquals(Flush.INSTANCE, this::onFlush)
        .onMessageEquals(Heartbeat.INSTANCE, this::onHeartbeat)
        .onMessageEquals(WarmupTick.INSTANCE, this::onWarmupTick)
        .onMessage(Stats.class, this::onStats)
        .onMessageEquals(IdleTimeout.INSTANCE, this::onIdleTimeout)
        .onMessageEquals(RetryFill.INSTANCE, this::onRetryFill)
        .onMessage(Filled.class, this::onFilled)
        .onMessage(Rechecked.class, this::onRechecked)
        .build();
  }

  // ---- clients

  private Behavior<Command> onJoin(Join join) {
    received++;
    order.head(join.info().head());
    fillIfNeeded();
    if (join.recheck() != null) {
      recheck = join.recheck();
    }
    RoomClient client = join.client();
    Member member = members.get(client.id());
    if (member == null) {
      if (view.connectionCount() >= join.info().settings().maxConnections()) {
        join.replyTo()
            .tell(StatusReply.error(new RoomException(RoomException.Kind.ROOM_FULL, "the room has its most connections")));
        idleIfEmpty();
        return this;
      }
      member = new Member(client, new PresenceMeta(client.id(), env.selfNode(), client.kind(), Instant.now()));
      members.put(client.id(), member);
      localJoined(member);
      timers.cancel(IdleTimeout.INSTANCE);
    }
    member.token = join.token();
    long last = order.last();
    boolean live =
        offer(member, new RoomOutput.Joined(room, join.ref(), Math.max(last, join.info().head())))
            && offer(member, new RoomOutput.PresenceSnapshot(view.snapshot(room, env.settings().presenceListThreshold())));
    member.skipUntil = last;
    if (join.since().isPresent()) {
      long since = Math.max(0, Math.min(join.since().getAsLong(), join.info().head()));
      if (since < last) {
        long after = Math.max(since, join.info().firstKept() - 1);
        live = live && offer(member, new RoomOutput.Replay(room, env.journal().messages(org, room, after, last + 1, Long.MAX_VALUE)));
      } else {
        member.skipUntil = since;
      }
    }
    if (!live) {
      removeMember(member, true);
    }
    join.replyTo().tell(StatusReply.success(Done.getInstance()));
    return this;
  }

  private Behavior<Command> onLeave(Leave leave) {
    received++;
    Member member = members.get(leave.client().id());
    if (member != null) {
      removeMember(member, false);
    }
    if (leave.ref() != null) {
      leave.client().offer(new RoomOutput.Left(room, leave.ref()));
    }
    idleIfEmpty();
    return this;
  }

  private Behavior<Command> onSend(Send send) {
    received++;
    RoomClient client = send.client();
    if (members.containsKey(client.id())) {
      publish(new Signal(room, client.id(), client.user(), send.body()));
    }
    idleIfEmpty();
    return this;
  }

  private Behavior<Command> onSignal(Signal signal) {
    RoomOutput.Signal output = new RoomOutput.Signal(room, signal.sender(), signal.body());
    List<Member> slow = new ArrayList<>();
    for (Member member : members.values()) {
      if (!member.client.id().equals(signal.fromConnection()) && !isApi(member) && !member.client.offer(output)) {
        slow.add(member);
      }
    }
    slow.forEach(m -> removeMember(m, true));
    return this;
  }

  private Behavior<Command> onRemoval(Removal removal) {
    boolean kicked = "kicked".equals(removal.code());
    RoomOutput.Removed output =
        new RoomOutput.Removed(room, removal.code(), removalMessage(removal.code()), kicked);
    for (Member member : new ArrayList<>(members.values())) {
      if (member.client.user().equals(removal.user())) {
        member.client.offer(output);
        removeMember(member, true);
        if (kicked) {
          env.clients().end(member.client);
        }
      }
    }
    return this;
  }

  private Behavior<Command> onClosed(Closed closed) {
    RoomOutput.Closed output = new RoomOutput.Closed(room);
    for (Member member : new ArrayList<>(members.values())) {
      member.client.offer(output);
      removeMember(member, true);
    }
    return this;
  }

  private static String removalMessage(String code) {
    return switch (code) {
      case "kicked" -> "you were disconnected from the room";
      case "banned" -> "you are banned from the room";
      case "not_member" -> "you are no longer a member of the room";
      default -> "you were put out of the room";
    };
  }

  private static boolean isApi(Member member) {
    return "api".equals(member.client.kind());
  }

  /** Queues an output; a client that cannot take it is removed by the caller. */
  private boolean offer(Member member, RoomOutput output) {
    return member.client.offer(output);
  }

  /**
   * Takes the client out of the room: its presence leaves. {@code byHub} when the hub decided it
   * (the registry is told); a leave the client asked for is already known there.
   */
  private void removeMember(Member member, boolean byHub) {
    if (members.remove(member.client.id()) == null) {
      return;
    }
    view.remove(member.client.user(), member.meta, diff);
    outgoing.left(member.client.user(), member.meta);
    scheduleFlush();
    if (byHub) {
      env.clients().left(member.client, room, member.token);
    }
    idleIfEmpty();
  }

  /**
   * (Re)starts the countdown to stopping while no client is here: a request that arrived after
   * the hub said it was idle keeps it alive for another period.
   */
  private void idleIfEmpty() {
    if (members.isEmpty()) {
      timers.startSingleTimer(IdleTimeout.INSTANCE, env.settings().hubIdleStop());
    }
  }

  private void localJoined(Member member) {
    view.add(member.client.user(), member.meta, diff);
    outgoing.joined(member.client.user(), member.meta);
    scheduleFlush();
  }

  // ---- messages

  private Behavior<Command> onPublished(Published published) {
    deliver(order.accept(published.message()));
    fillIfNeeded();
    return this;
  }

  private Behavior<Command> onHead(Head head) {
    order.head(head.head());
    fillIfNeeded();
    return this;
  }

  private void deliver(List<RoomMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<Member> slow = new ArrayList<>();
    for (RoomMessage message : messages) {
      RoomOutput.Message output = new RoomOutput.Message(message);
      for (Member member : members.values()) {
        if (message.offset() > member.skipUntil && !member.client.offer(output)) {
          slow.add(member);
        }
      }
      if (!slow.isEmpty()) {
        slow.forEach(m -> removeMember(m, true));
        slow.clear();
      }
    }
  }

  private void fillIfNeeded() {
    if (!order.needsFill()) {
      return;
    }
    long after = order.startFill();
    long upTo = Math.min(order.target(), after + FILL_BATCH);
    try {
      getContext()
          .pipeToSelf(
              env.journal()
                  .messages(org, room, after, upTo + 1, upTo - after)
                  .completionTimeout(env.settings().gapFillTimeout())
                  .runWith(Sink.seq(), getContext().getSystem()),
              Filled::new);
    } catch (RuntimeException e) {
      getContext().getSelf().tell(new Filled(null, e));
    }
  }

  private Behavior<Command> onFilled(Filled filled) {
    if (filled.failure() != null) {
      order.fillFailed();
      getContext()
          .getLog()
          .warn("Room {}: reading offsets after {} from the journal failed, retrying", key, order.last(), filled.failure());
      timers.startSingleTimer(RetryFill.INSTANCE, env.settings().gapFillTimeout());
      return this;
    }
    long before = order.last();
    deliver(order.filled(filled.messages()));
    if (order.last() == before && order.needsFill()) {
      getContext()
          .getLog()
          .warn("Room {}: the journal has nothing after offset {} yet (head {}), retrying", key, before, order.target());
      timers.startSingleTimer(RetryFill.INSTANCE, env.settings().gapFillTimeout());
    } else {
      fillIfNeeded();
    }
    return this;
  }

  private Behavior<Command> onRechecked(Rechecked rechecked) {
    if (rechecked.info() != null) {
      order.head(rechecked.info().head());
      fillIfNeeded();
    }
    return this;
  }

  private Behavior<Command> onRetryFill() {
    fillIfNeeded();
    return this;
  }

  // ---- presence

  private Behavior<Command> onGetPresence(GetPresence query) {
    received++;
    order.head(query.info().head());
    fillIfNeeded();
    if (presenceReady) {
      query.replyTo().tell(view.snapshot(room, env.settings().presenceListThreshold()));
    } else {
      waitingPresence.add(query.replyTo());
    }
    idleIfEmpty();
    return this;
  }

  private Behavior<Command> onDelta(PresenceDelta delta) {
    if (!env.selfNode().equals(delta.node())) {
      if (gossip.onDelta(delta, System.nanoTime(), view, diff)) {
        delta.hub().tell(new PresenceRequest(room, env.selfNode(), self, version));
      }
      scheduleFlushIfChanged();
    }
    return this;
  }

  private Behavior<Command> onSync(PresenceSync sync) {
    if (!env.selfNode().equals(sync.node())) {
      gossip.onSync(sync, System.nanoTime(), view, diff);
      scheduleFlushIfChanged();
      checkPresenceReady(0);
    }
    return this;
  }

  private Behavior<Command> onRequest(PresenceRequest request) {
    if (env.selfNode().equals(request.node())) {
      return this;
    }
    publishDeltas();
    List<Map<String, List<PresenceMeta>>> chunks =
        PresenceBatch.chunks(view.node(env.selfNode()), MAX_PER_MESSAGE);
    for (int part = 0; part < chunks.size(); part++) {
      request
          .replyTo()
          .tell(new PresenceSync(room, env.selfNode(), self, version, part, chunks.size(), chunks.get(part)));
    }
    if (gossip.onVersion(request.node(), request.replyTo(), request.version(), System.nanoTime(), view, diff)) {
      request.replyTo().tell(new PresenceRequest(room, env.selfNode(), self, version));
    }
    scheduleFlushIfChanged();
    return this;
  }

  private Behavior<Command> onVersion(PresenceVersion heartbeat) {
    if (!env.selfNode().equals(heartbeat.node())
        && gossip.onVersion(heartbeat.node(), heartbeat.hub(), heartbeat.version(), System.nanoTime(), view, diff)) {
      heartbeat.hub().tell(new PresenceRequest(room, env.selfNode(), self, version));
    }
    scheduleFlushIfChanged();
    return this;
  }

  private Behavior<Command> onNodeRemoved(NodeRemoved removed) {
    gossip.dropNode(removed.node(), view, diff);
    scheduleFlushIfChanged();
    return this;
  }

  private Behavior<Command> onHeartbeat() {
    publish(new PresenceVersion(room, env.selfNode(), self, version));
    long silentSince = System.nanoTime() - env.settings().presenceRefreshInterval().multipliedBy(3).toNanos();
    gossip.expire(silentSince, view, diff);
    scheduleFlushIfChanged();
    return this;
  }

  private Behavior<Command> onFlush() {
    publishDeltas();
    if (!diff.isEmpty()) {
      RoomOutput.PresenceDiff output =
          view.userCount() > env.settings().presenceListThreshold()
              ? new RoomOutput.PresenceDiff(room, Map.of(), Map.of(), view.userCount(), view.connectionCount())
              : new RoomOutput.PresenceDiff(room, diff.joins(), diff.leaves(), view.userCount(), view.connectionCount());
      diff.clear();
      List<Member> slow = new ArrayList<>();
      for (Member member : members.values()) {
        if (!isApi(member) && !member.client.offer(output)) {
          slow.add(member);
        }
      }
      slow.forEach(m -> removeMember(m, true));
    }
    return this;
  }

  /** Sends this node's pending joins and leaves, one version per part. */
  private void publishDeltas() {
    for (PresenceBatch.Part part : outgoing.drain(MAX_PER_MESSAGE)) {
      version++;
      publish(new PresenceDelta(room, env.selfNode(), self, version, part.joins(), part.leaves()));
    }
  }

  private Behavior<Command> onWarmupTick() {
    if (System.nanoTime() - startedAt > WARMUP.toNanos()) {
      timers.cancel(WarmupTick.INSTANCE);
      // Until the room's own topic instance listed this hub, what it published went elsewhere;
      // a post then and no later one would stay unseen, so ask the room for its head once.
      if (recheck != null) {
        try {
          getContext().pipeToSelf(recheck.get(), Rechecked::new);
        } catch (RuntimeException e) {
          getContext().getLog().debug("Room {}: head recheck failed", key, e);
        }
        recheck = null;
      }
    } else {
      topic.tell(Topic.getTopicStats(statsAdapter));
    }
    return this;
  }

  private Behavior<Command> onStats(Stats stats) {
    int instances = stats.stats().topicInstanceCount();
    if (instances > instancesAsked) {
      // Hubs that just became visible: ask them (they also learn this hub's version).
      instancesAsked = instances;
      publish(new PresenceRequest(room, env.selfNode(), self, version));
    }
    checkPresenceReady(instances);
    return this;
  }

  /** A new hub answers presence queries once every visible node answered, or after a short wait. */
  private void checkPresenceReady(int instances) {
    if (presenceReady) {
      return;
    }
    int visible = Math.max(instances, instancesAsked);
    boolean allAnswered = visible >= 1 && gossip.synced() >= visible - 1;
    if (allAnswered || System.nanoTime() - startedAt >= PRESENCE_WAIT.toNanos()) {
      presenceReady = true;
      var state = view.snapshot(room, env.settings().presenceListThreshold());
      waitingPresence.forEach(replyTo -> replyTo.tell(state));
      waitingPresence.clear();
    }
  }

  private Behavior<Command> onIdleTimeout() {
    if (!members.isEmpty()) {
      return this;
    }
    if (!waitingPresence.isEmpty()) {
      idleIfEmpty();
      return this;
    }
    publishDeltas();
    parent.tell(new RoomHubs.HubIdle(key, getContext().getSelf(), received));
    return this;
  }

  private void scheduleFlushIfChanged() {
    if (!diff.isEmpty()) {
      scheduleFlush();
    }
  }

  private void scheduleFlush() {
    if (!timers.isTimerActive(Flush.INSTANCE)) {
      timers.startSingleTimer(Flush.INSTANCE, env.settings().presenceBatchInterval());
    }
  }

  private void publish(RoomBroadcast message) {
    topic.tell(Topic.publish(message));
  }
}
