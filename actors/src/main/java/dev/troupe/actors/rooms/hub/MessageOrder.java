package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A hub's delivery order for one room: {@code last} is the latest offset handed to the local
 * clients, and nothing is handed on unless it is {@code last + 1}. Live messages past a hole wait
 * (bounded) while the hole is read back from the journal; a head above {@code last} is a hole too.
 * So every offset goes out exactly once, in order, whatever the topic drops or duplicates.
 */
final class MessageOrder {

  /** Most live messages kept while a hole is filled; beyond, the fill reads them too. */
  static final int MAX_WAITING = 4096;

  private long last;
  private long target;
  private boolean filling;
  private final TreeMap<Long, RoomMessage> waiting = new TreeMap<>();

  MessageOrder(long last) {
    this.last = last;
    this.target = last;
  }

  /** The latest offset delivered. */
  long last() {
    return last;
  }

  /** The highest offset known to exist. */
  long target() {
    return target;
  }

  boolean filling() {
    return filling;
  }

  /** The messages that may go out now, in order (none if it is a duplicate or past a hole). */
  List<RoomMessage> accept(RoomMessage message) {
    long offset = message.offset();
    if (offset <= last) {
      return List.of();
    }
    target = Math.max(target, offset);
    if (offset > last + 1) {
      if (waiting.size() < MAX_WAITING || offset < waiting.lastKey()) {
        waiting.put(offset, message);
        if (waiting.size() > MAX_WAITING) {
          waiting.pollLastEntry();
        }
      }
      return List.of();
    }
    List<RoomMessage> ready = new ArrayList<>(1);
    ready.add(message);
    last = offset;
    drainWaiting(ready);
    return ready;
  }

  /** The room says it has messages up to {@code head}. */
  void head(long head) {
    target = Math.max(target, head);
  }

  /** Whether a journal read should start now. */
  boolean needsFill() {
    return !filling && target > last;
  }

  /** Marks a fill started; answers the offset to read after. */
  long startFill() {
    filling = true;
    return last;
  }

  /**
   * The read messages, then what waited behind them, to go out in order. The journal is the
   * authority for the range read: an offset it skips (no longer kept) is skipped here too.
   */
  List<RoomMessage> filled(List<RoomMessage> read) {
    filling = false;
    List<RoomMessage> ready = new ArrayList<>();
    for (RoomMessage message : read) {
      if (message.offset() > last) {
        ready.add(message);
        last = message.offset();
      }
    }
    drainWaiting(ready);
    return ready;
  }

  /** A fill failed; the hole stays and is tried again later. */
  void fillFailed() {
    filling = false;
  }

  private void drainWaiting(List<RoomMessage> ready) {
    while (!waiting.isEmpty() && waiting.firstKey() <= last + 1) {
      RoomMessage next = waiting.pollFirstEntry().getValue();
      if (next.offset() == last + 1) {
        ready.add(next);
        last = next.offset();
      }
    }
  }
}
