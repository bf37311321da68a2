package dev.troupe.actors.identity.revocation;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.pattern.StatusReply;
import scala.Option;

/**
 * The node-local actor behind {@link Revocations}: writes revocations to the Replicator (all
 * nodes, then a majority on timeout), passes every change of the map to the extension's
 * snapshot, and prunes entries past their end. Its messages never leave the node.
 */
final class RevocationReplicator {

  static final Key<LWWMap<String, Long>> KEY = LWWMapKey.create(Revocations.KEY);

  sealed interface Command {}

  /** Write one revocation; replies when all nodes, or else a majority, have it. */
  record Revoke(String sessionId, long untilMillis, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  private record WrittenToAll(Replicator.UpdateResponse<LWWMap<String, Long>> response, Revoke cmd)
      implements Command {}

  private record WrittenToMajority(
      Replicator.UpdateResponse<LWWMap<String, Long>> response, Revoke cmd) implements Command {}

  private record MapChanged(Replicator.SubscribeResponse<LWWMap<String, Long>> response)
      implements Command {}

  private record Pruned(Replicator.UpdateResponse<LWWMap<String, Long>> response)
      implements Command {}

  private enum Prune implements Command {
    INSTANCE
  }

  private final ActorContext<Command> context;
  private final ReplicatorMessageAdapter<Command, LWWMap<String, Long>> replicator;
  private final SelfUniqueAddress self;
  private final RevocationSettings settings;
  private final Clock clock;
  private final Consumer<Map<String, Long>> listener;
  private LWWMap<String, Long> latest = LWWMap.create();

  static Behavior<Command> create(
      RevocationSettings settings, Clock clock, Consumer<Map<String, Long>> listener) {
    return Behaviors.setup(
        context ->
            DistributedData.<Command, LWWMap<String, Long>>withReplicatorMessageAdapter(
                replicator ->
                    Behaviors.withTimers(
                        timers -> {
                          timers.startTimerWithFixedDelay(Prune.INSTANCE, settings.pruneInterval());
                          return new RevocationReplicator(
                                  context, replicator, settings, clock, listener)
                              .behavior();
                        })));
  }

  private RevocationReplicator(
      ActorContext<Command> context,
      ReplicatorMessageAdapter<Command, LWWMap<String, Long>> replicator,
      RevocationSettings settings,
      Clock clock,
      Consumer<Map<String, Long>> listener) {
    this.context = context;
    this.replicator = replicator;
    this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
    replicator.subscribe(KEY, MapChanged::new);
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Revoke.class, this::onRevoke)
        .onMessage(WrittenToAll.class, this::onWrittenToAll)
        .onMessage(WrittenToMajority.class, this::onWrittenToMajority)
        .onMessage(MapChanged.class, this::onChanged)
        .onMessageEquals(Prune.INSTANCE, this::onPrune)
        .onMessage(Pruned.class, msg -> Behaviors.same())
        .build();
  }

  private Behavior<Command> onRevoke(Revoke cmd) {
    replicator.askUpdate(
        replyTo ->
            new Replicator.Update<>(
                KEY,
                LWWMap.create(),
                new Replicator.WriteAll(settings.writeTimeout()),
                replyTo,
                map -> put(map, cmd)),
        response -> new WrittenToAll(response, cmd));
    return Behaviors.same();
  }

  private Behavior<Command> onWrittenToAll(WrittenToAll msg) {
    if (msg.response() instanceof Replicator.UpdateSuccess) {
      msg.cmd().replyTo().tell(StatusReply.ack());
    } else if (msg.response() instanceof Replicator.UpdateTimeout) {
      // Some node did not answer in time; the entry is local already, a majority is enough.
      Revoke cmd = msg.cmd();
      replicator.askUpdate(
          replyTo ->
              new Replicator.Update<>(
                  KEY,
                  LWWMap.create(),
                  new Replicator.WriteMajority(settings.writeTimeout()),
                  replyTo,
                  map -> put(map, cmd)),
          response -> new WrittenToMajority(response, cmd));
    } else {
      fail(msg.cmd(), msg.response());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onWrittenToMajority(WrittenToMajority msg) {
    if (msg.response() instanceof Replicator.UpdateSuccess) {
      msg.cmd().replyTo().tell(StatusReply.ack());
    } else {
      fail(msg.cmd(), msg.response());
    }
    return Behaviors.same();
  }

  private void fail(Revoke cmd, Replicator.UpdateResponse<LWWMap<String, Long>> response) {
    context.getLog().warn(
        "Revocation of a session not confirmed by a majority ({}); it spreads by gossip",
        response.getClass().getSimpleName());
    cmd.replyTo().tell(StatusReply.error("revocation not confirmed by a majority of nodes"));
  }

  private Behavior<Command> onChanged(MapChanged msg) {
    if (msg.response() instanceof Replicator.Changed<LWWMap<String, Long>> changed) {
      latest = changed.get(KEY);
      listener.accept(latest.getEntries());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onPrune() {
    long now = clock.millis();
    List<String> expired = new ArrayList<>();
    latest.getEntries().forEach((id, until) -> {
      if (until <= now) {
        expired.add(id);
      }
    });
    if (!expired.isEmpty()) {
      replicator.askUpdate(
          replyTo ->
              new Replicator.Update<>(
                  KEY,
                  LWWMap.create(),
                  Replicator.writeLocal(),
                  replyTo,
                  map -> remove(map, expired, now)),
          Pruned::new);
    }
    // Lets the extension forget its own expired writes even when the map does not change.
    listener.accept(latest.getEntries());
    return Behaviors.same();
  }

  private LWWMap<String, Long> put(LWWMap<String, Long> map, Revoke cmd) {
    Option<Long> known = map.get(cmd.sessionId());
    if (known.isDefined() && known.get() >= cmd.untilMillis()) {
      return map;
    }
    return map.put(self, cmd.sessionId(), cmd.untilMillis());
  }

  private LWWMap<String, Long> remove(LWWMap<String, Long> map, List<String> ids, long now) {
    LWWMap<String, Long> result = map;
    for (String id : ids) {
      Option<Long> until = result.get(id);
      // Only entries still past their end: a newer revocation of the same session stays.
      if (until.isDefined() && until.get() <= now) {
        result = result.remove(self, id);
      }
    }
    return result;
  }
}
