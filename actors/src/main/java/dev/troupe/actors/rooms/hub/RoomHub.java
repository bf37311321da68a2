package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.hub.HubRequest.GetPresence;
import dev.troupe.actors.rooms.hub.HubRequest.Join;
import dev.troupe.actors.rooms.hub.HubRequest.Leave;
import dev.troupe.actors.rooms.hub.HubRequest.Send;
import dev.troupe.actors.rooms.hub.RoomBroadcast.AccessChanged;
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
import java.util.List;
import java.util.concurrent.CompletionStage;
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
import org.slf4j.Logger;

/**
 * One room on one node, while the node has clients in it: subscribed to the room's topic (its own
 * {@link Topic} child), it hands each message to every local client exactly once and in offset
 * order ({@link MessageFlow}, holes read back from the journal), and keeps the room's presence
 * ({@link RoomPresence}, {@link HubGossip}): its node's connections, gossiped to the other nodes'
 * hubs in batches, and theirs. Clients ({@link HubMembers}, {@link HubJoins}) get outputs by {@link
 * RoomClient#offer}, which never waits: a client whose buffer is full is cut off alone.
 *
 * <p>Access changes reach its clients even when a broadcast is lost: the hub asks the room again
 * about its local users ({@link HubRechecks}, at most {@value HubRechecks#RECHECK_PARALLELISM}
 * checks at once) and puts out only those refused; a kick still closes the user's connections at
 * once.
 *
 * <p>The actor only routes its messages to those collaborators and is the only one to touch its
 * context and timers ({@link HubEffects}).
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

  /** The room's answer about one local user in a recheck round asked when {@code joins} was {@code seq}. */
  record Verdict(AccessRecheck.Who who, long seq, RoomInfo info, Throwable failure) implements Command {}

  private enum RecheckDone implements Command {
    INSTANCE
  }

  private enum RetryRecheck implements Command {
    INSTANCE
  }

  /** Most connections per presence message on the topic (keeps each well under a frame). */
  static final int MAX_PER_MESSAGE = 500;

  /** Node-wide things every hub uses. */
  record Env(
      RoomsSettings settings,
      RoomJournal journal,
      RoomAccess access,
      ClientRooms clients,
      String selfNode) {}

  private final Env env;
  private final String key;
  private final ActorRef<RoomHubs.Command> parent;
  private final TimerScheduler<Command> timers;
  private final ActorRef<Topic.Command<RoomBroadcast>> topic;
  private final ActorRef<Topic.TopicStats> statsAdapter;

  private final HubMembers members;
  private final MessageFlow flow;
  private final HubRechecks rechecks;
  private final HubJoins joins;
  private final HubWarmup warmup;
  private final HubGossip gossip;

  /** Requests received from {@link RoomHubs}, to stop only when none is on its way. */
  private long received;

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
    this.key = RoomHubs.key(org, room);
    this.parent = parent;
    this.timers = timers;
    HubEffects effects = new Effects();
    ActorRef<RoomBroadcast> self = context.getSelf().narrow();
    this.statsAdapter = context.messageAdapter(Topic.TopicStats.class, Stats::new);
    this.topic = context.spawn(Topic.create(RoomBroadcast.class, RoomTopics.name(org, room)), "topic");
    RoomPresence presence =
        new RoomPresence(room, env.selfNode(), self, env.settings().presenceListThreshold(), MAX_PER_MESSAGE);
    this.members = new HubMembers(room, env.selfNode(), env.clients(), presence, effects);
    this.flow =
        new MessageFlow(org, room, head, env.settings(), env.journal(), context.getSystem(), members, effects);
    this.rechecks =
        new HubRechecks(org, room, env.access(), context.getSelf(), context.getSystem(), members, flow, effects);
    this.joins = new HubJoins(org, room, env.journal(), members, presence, flow, rechecks, effects);
    this.warmup = new HubWarmup(presence, rechecks, effects);
    this.gossip = new HubGossip(env.selfNode(), env.settings().presenceRefreshInterval(), presence, members, effects);
    topic.tell(Topic.subscribe(self));
    effects.publish(presence.request());
    timers.startTimerAtFixedRate(WarmupTick.INSTANCE, HubWarmup.TICK);
    timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, env.settings().presenceRefreshInterval());
    timers.startSingleTimer(IdleTimeout.INSTANCE, env.settings().hubIdleStop());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Join.class, join -> request(() -> joins.join(join)))
        .onMessage(Leave.class, leave -> request(() -> joins.leave(leave)))
        .onMessage(Send.class, send -> request(() -> joins.send(send)))
        .onMessage(GetPresence.class, this::onGetPresence)
        .onMessage(Published.class, published -> done(() -> flow.published(published.message())))
        .onMessage(Head.class, this::onHead)
        .onMessage(Removal.class, this::onRemoval)
        .onMessage(Closed.class, closed -> done(members::closed))
        .onMessage(Signal.class, signal -> done(() -> members.signal(signal)))
        .onMessage(PresenceDelta.class, delta -> done(() -> gossip.delta(delta)))
        .onMessage(PresenceSync.class, this::onSync)
        .onMessage(PresenceRequest.class, request -> done(() -> gossip.request(request)))
        .onMessage(PresenceVersion.class, version -> done(() -> gossip.version(version)))
        .onMessage(NodeRemoved.class, removed -> done(() -> gossip.nodeRemoved(removed.node())))
        .onMessageEquals(Flush.INSTANCE, () -> done(gossip::flush))
        .onMessageEquals(Heartbeat.INSTANCE, () -> done(gossip::heartbeat))
        .onMessageEquals(WarmupTick.INSTANCE, () -> done(warmup::tick))
        .onMessage(Stats.class, stats -> done(() -> warmup.stats(stats.stats().topicInstanceCount())))
        .onMessageEquals(IdleTimeout.INSTANCE, this::onIdleTimeout)
        .onMessageEquals(RetryFill.INSTANCE, () -> done(flow::fillIfNeeded))
        .onMessage(Filled.class, filled -> done(() -> flow.filled(filled.messages(), filled.failure())))
        .onMessage(AccessChanged.class, changed -> done(rechecks::accessChanged))
        .onMessage(Verdict.class, verdict -> done(() -> rechecks.verdict(verdict)))
        .onMessageEquals(RecheckDone.INSTANCE, () -> done(rechecks::roundDone))
        .onMessageEquals(RetryRecheck.INSTANCE, () -> done(rechecks::retry))
        .build();
  }

  /** Runs a handler that keeps the behaviour. */
  private Behavior<Command> done(Runnable handler) {
    handler.run();
    return this;
  }

  /** Runs a handler of a request from {@link RoomHubs} (counted) that keeps the behaviour. */
  private Behavior<Command> request(Runnable handler) {
    received++;
    return done(handler);
  }

  private Behavior<Command> onGetPresence(GetPresence query) {
    received++;
    flow.head(query.info().head());
    warmup.query(query.replyTo());
    members.idleIfEmpty();
    return this;
  }

  private Behavior<Command> onHead(Head head) {
    flow.head(head.head());
    rechecks.head(head.accessEpoch());
    return this;
  }

  private Behavior<Command> onRemoval(Removal removal) {
    if ("kicked".equals(removal.code())) {
      members.kick(removal);
    } else {
      // A ban or a lost membership: put out only if the room refuses them now (admins may stay).
      rechecks.removalNoticed(removal.user());
    }
    return this;
  }

  private Behavior<Command> onSync(PresenceSync sync) {
    if (gossip.sync(sync)) {
      warmup.checkPresenceReady(0);
    }
    return this;
  }

  private Behavior<Command> onIdleTimeout() {
    if (!members.isEmpty()) {
      return this;
    }
    if (warmup.queriesWaiting()) {
      members.idleIfEmpty();
      return this;
    }
    gossip.publishDeltas();
    parent.tell(new RoomHubs.HubIdle(key, getContext().getSelf(), received));
    return this;
  }

  /** The actor's side of its collaborators: its timers, topic, log and pipes. */
  private final class Effects implements HubEffects {

    @Override
    public Logger log() {
      return getContext().getLog();
    }

    @Override
    public void publish(RoomBroadcast message) {
      topic.tell(Topic.publish(message));
    }

    @Override
    public void scheduleFlush() {
      if (!timers.isTimerActive(Flush.INSTANCE)) {
        timers.startSingleTimer(Flush.INSTANCE, env.settings().presenceBatchInterval());
      }
    }

    @Override
    public void startIdleCountdown() {
      timers.startSingleTimer(IdleTimeout.INSTANCE, env.settings().hubIdleStop());
    }

    @Override
    public void cancelIdleCountdown() {
      timers.cancel(IdleTimeout.INSTANCE);
    }

    @Override
    public void pipeFill(CompletionStage<List<RoomMessage>> read) {
      getContext().pipeToSelf(read, Filled::new);
    }

    @Override
    public void fillFailed(Throwable failure) {
      getContext().getSelf().tell(new Filled(null, failure));
    }

    @Override
    public void retryFillLater() {
      timers.startSingleTimer(RetryFill.INSTANCE, env.settings().gapFillTimeout());
    }

    @Override
    public void pipeRecheckDone(CompletionStage<Done> done) {
      getContext().pipeToSelf(done, (ok, failure) -> RecheckDone.INSTANCE);
    }

    @Override
    public void retryRecheckLater() {
      if (!timers.isTimerActive(RetryRecheck.INSTANCE)) {
        timers.startSingleTimer(RetryRecheck.INSTANCE, env.settings().gapFillTimeout());
      }
    }

    @Override
    public void stopWarmupTicks() {
      timers.cancel(WarmupTick.INSTANCE);
    }

    @Override
    public void askTopicStats() {
      topic.tell(Topic.getTopicStats(statsAdapter));
    }
  }
}
