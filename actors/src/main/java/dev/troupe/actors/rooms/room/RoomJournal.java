package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomsSettings;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;

/** STUB (helper A implements): a room's messages read back from the journal by offset. */
public final class RoomJournal {

  public RoomJournal(ActorSystem<?> system, RoomsSettings settings) {}

  /**
   * The stored messages of the room with {@code after < offset < before}, oldest first, at most
   * {@code limit}; completes after them. Backpressured, bounded memory.
   */
  public Source<RoomMessage, NotUsed> messages(String org, String room, long after, long before, long limit) {
    throw new UnsupportedOperationException("stub");
  }
}
