package dev.troupe.actors.rooms.live;

import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.hub.ClientRooms;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * This node's live connections by login session id, with the rooms each has joined. Thread-safe
 * without an actor: the edge, hubs and the security code call it from any thread.
 */
public final class Connections implements ClientRooms {

  /** One live connection and its rooms (room name to the mark of the join that holds it). */
  static final class Live {
    final RoomClient client;
    final Map<String, Object> rooms = new ConcurrentHashMap<>(4);

    Live(RoomClient client) {
      this.client = client;
    }
  }

  private final Map<String, Map<String, Live>> bySession = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final Consumer<RoomClient> onEnd;

  /** @param onEnd what to do for a connection that is ended here (leave its rooms, forget it) */
  Connections(Consumer<RoomClient> onEnd) {
    this.onEnd = onEnd;
  }

  /**
   * Ends every live connection opened with the session: each gets an error with the code (e.g.
   * {@code session_revoked}) and is closed; SSE streams end. Answers how many were closed.
   */
  public int closeSession(String sessionId, String code, String message) {
    Map<String, Live> live = bySession.get(sessionId);
    if (live == null) {
      return 0;
    }
    List<Live> closing = new ArrayList<>(live.values());
    for (Live connection : closing) {
      connection.client.offer(new RoomOutput.Removed("", code, message, true));
      end(connection.client);
    }
    return closing.size();
  }

  /** How many connections are live on this node. */
  public int size() {
    return size.get();
  }

  /**
   * Registers the client. A session revoked between authenticating its request and now was
   * already closed here, so a late connection of it is closed at once too (revocation listeners
   * fire only once per session).
   */
  void register(RoomClient client, Predicate<String> revoked) {
    register(client);
    if (revoked.test(client.sessionId())) {
      closeSession(client.sessionId(), RoomLive.SESSION_REVOKED, "the session was revoked");
    }
  }

  void register(RoomClient client) {
    bySession.compute(
        client.sessionId(),
        (session, live) -> {
          Map<String, Live> connections = live == null ? new ConcurrentHashMap<>(2) : live;
          if (connections.putIfAbsent(client.id(), new Live(client)) == null) {
            size.incrementAndGet();
          }
          return connections;
        });
  }

  /** Forgets the client; answers what it had (null if it was gone already). */
  Live unregister(RoomClient client) {
    Live[] removed = new Live[1];
    bySession.computeIfPresent(
        client.sessionId(),
        (session, live) -> {
          removed[0] = live.remove(client.id());
          return live.isEmpty() ? null : live;
        });
    if (removed[0] != null) {
      size.decrementAndGet();
    }
    return removed[0];
  }

  /** The client's entry, or null once it is gone. */
  Live find(RoomClient client) {
    Map<String, Live> live = bySession.get(client.sessionId());
    return live == null ? null : live.get(client.id());
  }

  @Override
  public void left(RoomClient client, String room, Object token) {
    Live live = find(client);
    if (live != null) {
      live.rooms.remove(room, token);
    }
  }

  @Override
  public void end(RoomClient client) {
    if (!client.queue().isCompleted()) {
      try {
        client.queue().complete();
      } catch (IllegalStateException alreadyEnded) {
        // Failed or completed by another thread meanwhile: ended either way.
      }
    }
    onEnd.accept(client);
  }
}
