package dev.troupe.actors.rooms.room;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.persistence.entity.EntityModel;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * An org's room directory ({@code room-directory}, id {@code <org>:rooms}): the names of its open
 * rooms, so they can be listed, and the bound {@code max-rooms-per-org}. A room is registered
 * before it is created or reopened and unregistered after it is closed.
 */
public final class RoomDirectory
    extends TroupeEntity<DirectoryCommand, DirectoryEvent, DirectoryState> {

  public static final String TYPE = "room-directory";

  /** The directory's id within its org. */
  public static final String ID = "rooms";

  public static final EntityTypeKey<DirectoryCommand> TYPE_KEY =
      EntityTypeKey.create(DirectoryCommand.class, TYPE);

  public static final EntityModel<DirectoryState, DirectoryEvent> MODEL =
      EntityModel.of(TYPE, DirectoryEvent.class, DirectoryState.EMPTY, DirectoryState::apply);

  private final int maxRooms;

  /** The entity type; an org has at most {@code maxRooms} open rooms. */
  public static EntityKind<DirectoryCommand, DirectoryEvent, DirectoryState> kind(int maxRooms) {
    return new EntityKind<>(TYPE_KEY, MODEL, context -> create(maxRooms, context.getEntityId()));
  }

  public static Behavior<DirectoryCommand> create(int maxRooms, String entityId) {
    return Behaviors.setup(context -> new RoomDirectory(context, maxRooms, entityId));
  }

  private RoomDirectory(ActorContext<DirectoryCommand> context, int maxRooms, String entityId) {
    super(context.getSystem(), kind(maxRooms), entityId);
    this.maxRooms = maxRooms;
  }

  @Override
  public CommandHandlerWithReply<DirectoryCommand, DirectoryEvent, DirectoryState>
      commandHandler() {
    return newCommandHandlerWithReplyBuilder().forAnyState().onAnyCommand(this::onCommand);
  }

  @Override
  public Set<String> tagsFor(DirectoryEvent event) {
    return Set.of();
  }

  private ReplyEffect<DirectoryEvent, DirectoryState> onCommand(
      DirectoryState state, DirectoryCommand command) {
    if (command instanceof DirectoryCommand.Register c) {
      if (state.rooms().contains(c.room())) {
        return Effect().reply(c.replyTo(), StatusReply.ack());
      }
      if (state.rooms().size() >= maxRooms) {
        return Effect()
            .reply(
                c.replyTo(),
                RoomRefusals.reply(
                    new RoomException(
                        RoomException.Kind.TOO_MANY_ROOMS,
                        "the org has " + maxRooms + " rooms, the most it may have")));
      }
      return Effect()
          .persist(new DirectoryEvent.Registered(audit(c.context()), c.room()))
          .thenReply(c.replyTo(), s -> StatusReply.ack());
    } else if (command instanceof DirectoryCommand.Unregister c) {
      if (!state.rooms().contains(c.room())) {
        return Effect().reply(c.replyTo(), StatusReply.ack());
      }
      return Effect()
          .persist(new DirectoryEvent.Unregistered(audit(c.context()), c.room()))
          .thenReply(c.replyTo(), s -> StatusReply.ack());
    } else if (command instanceof DirectoryCommand.ListRooms c) {
      return Effect()
          .reply(
              c.replyTo(),
              StatusReply.success(new DirectoryCommand.Names(List.copyOf(state.rooms()))));
    }
    throw new IllegalArgumentException("unknown directory command " + command.getClass());
  }
}
