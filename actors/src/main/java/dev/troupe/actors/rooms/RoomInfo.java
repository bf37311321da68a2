package dev.troupe.actors.rooms;

import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;

/**
 * A room as its entity sees it now.
 *
 * @param room the room's name
 * @param settings its settings
 * @param head the offset of its latest message (0 when none)
 * @param created when it was created
 * @param members how many members it has
 */
public record RoomInfo(String room, RoomSettings settings, long head, Instant created, int members)
    implements TroupeSerializable {

  /** The lowest offset still served ({@code maxHistory} latest messages). */
  public long firstKept() {
    return Math.max(1, head - settings.maxHistory() + 1);
  }
}
