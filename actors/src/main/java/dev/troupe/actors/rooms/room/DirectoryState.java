package dev.troupe.actors.rooms.room;

import dev.troupe.persistence.TroupeSerializable;
import java.util.Set;

/**
 * The open rooms of an org, by name; also the directory's snapshot. Immutable.
 *
 * @param rooms the names (sorted)
 */
public record DirectoryState(Set<String> rooms) implements TroupeSerializable {

  public static final DirectoryState EMPTY = new DirectoryState(SortedNames.EMPTY);

  public DirectoryState {
    rooms = SortedNames.of(rooms);
  }

  /** The state after an event. Pure. */
  public DirectoryState apply(DirectoryEvent event) {
    if (event instanceof DirectoryEvent.Registered r) {
      return new DirectoryState(((SortedNames) rooms).with(r.room()));
    } else if (event instanceof DirectoryEvent.Unregistered u) {
      return new DirectoryState(((SortedNames) rooms).without(u.room()));
    }
    throw new IllegalArgumentException("unknown directory event " + event.getClass());
  }
}
