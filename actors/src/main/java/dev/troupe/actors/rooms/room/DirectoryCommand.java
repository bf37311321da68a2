package dev.troupe.actors.rooms.room;

import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.RequestContext;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What an org's room directory ({@link RoomDirectory}) is asked. Refusals as {@link RoomRefusals}.
 */
public sealed interface DirectoryCommand extends TroupeSerializable {

  /** The org's room names, sorted. */
  record Names(List<String> rooms) implements TroupeSerializable {

    public Names {
      rooms = List.copyOf(rooms);
    }
  }

  /**
   * Adds a room name; nothing when it is there already, {@code too_many_rooms} when the org has
   * {@code max-rooms-per-org}.
   */
  record Register(RequestContext context, String room, ActorRef<StatusReply<Done>> replyTo)
      implements DirectoryCommand {}

  /** Removes a room name (nothing when it is not there). */
  record Unregister(RequestContext context, String room, ActorRef<StatusReply<Done>> replyTo)
      implements DirectoryCommand {}

  /** The names. */
  record ListRooms(ActorRef<StatusReply<Names>> replyTo) implements DirectoryCommand {}
}
