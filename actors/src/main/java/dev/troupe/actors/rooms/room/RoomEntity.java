package dev.troupe.actors.rooms.room;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.hub.RoomBroadcast;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.entity.EntityModel;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A room ({@code room}, id {@code <org>:<room>}): orders and persists its messages, giving each a
 * dense offset, and keeps its settings, members, bans and recent idempotency keys. Decisions are
 * the {@link RoomDecider}'s.
 *
 * <p>After persisting, it tells the room's topic (through its {@link RoomAnnouncer} child): {@code
 * Published} for a post, {@code Removal} for a kick, a ban, or a member removed from a members-only
 * room, {@code AccessChanged} after a ban, such a member removal, or new settings of a members-only
 * room (a change that may refuse someone connected: hubs ask again about each local user), {@code
 * Closed} when closed; {@code Head} (head and access epoch, {@link RoomState#accessEpoch}) after
 * recovery and shortly after the last post or access change, repairing lost notices.
 * Its events carry no tags: nothing projects them, and on Cassandra a tag costs a write.
 */
public final class RoomEntity extends TroupeEntity<RoomCommand, RoomEvent, RoomState> {

  public static final String TYPE = "room";

  public static final EntityTypeKey<RoomCommand> TYPE_KEY =
      EntityTypeKey.create(RoomCommand.class, TYPE);

  private final ActorContext<RoomCommand> context;
  private final RoomEnv env;
  private final String org;
  private final String room;
  private final RoomDecider decider;
  private ActorRef<RoomAnnouncer.Command> announcer;
  private boolean recoveredBefore;

  /** The room's fold with the node's idempotency limits. */
  public static EntityModel<RoomState, RoomEvent> model(KeyLimits limits) {
    return EntityModel.<RoomState, RoomEvent>of(
        TYPE, RoomEvent.class, RoomState.EMPTY, (state, event) -> state.apply(event, limits));
  }

  /** The entity type, its rooms created with the given environment. */
  public static EntityKind<RoomCommand, RoomEvent, RoomState> kind(RoomEnv env) {
    return new EntityKind<>(
        TYPE_KEY, model(env.keyLimits()), context -> create(env, context.getEntityId()));
  }

  /** The behaviour of the room with the given tenant-scoped id. */
  public static Behavior<RoomCommand> create(RoomEnv env, String entityId) {
    return Behaviors.setup(context -> new RoomEntity(context, env, entityId));
  }

  private RoomEntity(ActorContext<RoomCommand> context, RoomEnv env, String entityId) {
    super(context.getSystem(), kind(env), entityId);
    this.context = context;
    this.env = env;
    this.org = EntityIds.tenantOf(entityId);
    this.room = EntityIds.localIdOf(entityId);
    this.decider =
        new RoomDecider(
            room,
            env.keyLimits(),
            env.settings().maxHistoryLimit(),
            env.settings().maxConnectionsLimit(),
            this::audit);
    // Spawned before recovery, so its topic knows the other nodes' hubs by the time the head is
    // announced.
    this.announcer = spawnAnnouncer();
  }

  private ActorRef<RoomAnnouncer.Command> spawnAnnouncer() {
    return context.spawnAnonymous(
        RoomAnnouncer.create(org, room, env.settings().headAnnounceDelay()));
  }

  @Override
  public CommandHandlerWithReply<RoomCommand, RoomEvent, RoomState> commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onAnyCommand(this::onCommand);
  }

  @Override
  public SignalHandler<RoomState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.class, (state, signal) -> recovered(state))
        .build();
  }

  @Override
  public Set<String> tagsFor(RoomEvent event) {
    return Set.of();
  }

  private void recovered(RoomState state) {
    if (recoveredBefore) {
      // Recovering again after a journal failure: the restart stopped the children.
      stopQuietly(announcer);
      announcer = spawnAnnouncer();
    }
    recoveredBefore = true;
    if (state.exists()) {
      // Closed too: a hub that missed the closing learns it from the access epoch.
      announcer.tell(new RoomAnnouncer.Recovered(state.head(), state.accessEpoch()));
    }
  }

  private void stopQuietly(ActorRef<?> child) {
    try {
      context.stop(child);
    } catch (IllegalArgumentException alreadyGone) {
      // no longer a child
    }
  }

  private ReplyEffect<RoomEvent, RoomState> onCommand(RoomState state, RoomCommand command) {
    if (command instanceof RoomCommand.Post c) {
      return answer(decider.post(state, c, env.clock().instant()), c.replyTo());
    } else if (command instanceof RoomCommand.Access c) {
      return answer(decider.access(state, c.user(), c.admin()), c.replyTo());
    } else if (command instanceof RoomCommand.GetInfo c) {
      return answer(decider.info(state), c.replyTo());
    } else if (command instanceof RoomCommand.Configure c) {
      return answer(decider.configure(state, c), c.replyTo());
    } else if (command instanceof RoomCommand.Close c) {
      return answer(decider.close(state, c), c.replyTo());
    } else if (command instanceof RoomCommand.SetMember c) {
      return answer(decider.setMember(state, c), c.replyTo());
    } else if (command instanceof RoomCommand.SetBan c) {
      return answer(decider.setBan(state, c), c.replyTo());
    } else if (command instanceof RoomCommand.Kick c) {
      return answer(decider.kick(state, c), c.replyTo());
    }
    throw new IllegalArgumentException("unknown room command " + command.getClass());
  }

  private <R> ReplyEffect<RoomEvent, RoomState> answer(
      RoomDecider.Decision<R> decision, ActorRef<StatusReply<R>> replyTo) {
    if (decision.refused()) {
      return Effect().reply(replyTo, RoomRefusals.reply(decision.refusal()));
    }
    List<RoomEvent> events = decision.events();
    if (events.isEmpty()) {
      return Effect().reply(replyTo, StatusReply.success(decision.reply()));
    }
    EffectBuilder<RoomEvent, RoomState> effect = Effect().persist(events);
    return effect
        .thenRun(state -> announce(events, state))
        .thenReply(replyTo, state -> StatusReply.success(decision.reply()));
  }

  /** Tells the topic what the persisted events mean for live connections. */
  private void announce(List<RoomEvent> events, RoomState state) {
    boolean others = false;
    for (RoomEvent event : events) {
      others |= !(event instanceof RoomEvent.Posted);
      if (event instanceof RoomEvent.Posted p) {
        announcer.tell(
            new RoomAnnouncer.Posted(
                new RoomMessage(room, p.offset(), p.sender(), p.timestamp(), p.body())));
      } else if (event instanceof RoomEvent.Kicked k) {
        removal(k.user(), "kicked");
      } else if (event instanceof RoomEvent.Banned b) {
        removal(b.user(), "banned");
        accessChanged();
      } else if (event instanceof RoomEvent.MemberRemoved m && membersOnly(state)) {
        removal(m.user(), "not_member");
        accessChanged();
      } else if (event instanceof RoomEvent.SettingsChanged && membersOnly(state)) {
        accessChanged();
      } else if (event instanceof RoomEvent.Closed) {
        announcer.tell(new RoomAnnouncer.Publish(new RoomBroadcast.Closed(room)));
      }
    }
    if (others) {
      // A higher epoch goes out in the next Head: repairs a lost notice of the above.
      announcer.tell(new RoomAnnouncer.AccessEpoch(state.accessEpoch()));
    }
  }

  private static boolean membersOnly(RoomState state) {
    return state.settings().visibility() == RoomSettings.Visibility.MEMBERS;
  }

  private void accessChanged() {
    announcer.tell(new RoomAnnouncer.Publish(new RoomBroadcast.AccessChanged(room)));
  }

  private void removal(String user, String code) {
    announcer.tell(new RoomAnnouncer.Publish(new RoomBroadcast.Removal(room, user, code)));
  }
}
