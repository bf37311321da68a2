package dev.troupe.actors.rooms.live;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.PresenceState;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.room.RoomAdmin;
import dev.troupe.actors.rooms.room.RoomJournal;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;

/** STUB (helper B implements): live connections, node hubs, presence. */
public final class RoomLive {

  /** A connected client and the outputs the edge sends it, in order. */
  public record Connection(RoomClient client, Source<RoomOutput, NotUsed> outputs) {}

  public RoomLive(ActorSystem<?> system, RoomsSettings settings, RoomAdmin admin, RoomJournal journal) {}

  public void start() {}

  /**
   * Opens a client of the given kind ({@code ws}, {@code sse}): registers it by session id and
   * gives its outputs. Replays arrive flattened into {@link RoomOutput.Message}s; a client that
   * falls behind sees the source fail with {@link RoomClient.SlowConsumer}. The source completes
   * after {@link #disconnect} or a session close.
   */
  public Connection connect(Principal principal, String kind) {
    throw new UnsupportedOperationException("stub");
  }

  /**
   * Joins a room: checks access, then queues {@code Joined}, {@code PresenceSnapshot}, the messages
   * after {@code since} (none without it), then live outputs. Fails with RoomException.
   */
  public CompletionStage<Done> join(RoomClient client, Principal principal, String room, OptionalLong since, String ref) {
    throw new UnsupportedOperationException("stub");
  }

  /** Leaves a room ({@code Left} queued; leaving a room not joined is acknowledged too). */
  public void leave(RoomClient client, String room, String ref) {
    throw new UnsupportedOperationException("stub");
  }

  /** Sends an ephemeral signal to the room's other connections (must have joined it). */
  public void signal(RoomClient client, String room, String body) {
    throw new UnsupportedOperationException("stub");
  }

  /** Leaves every room and forgets the client (its presence leaves). */
  public void disconnect(RoomClient client) {
    throw new UnsupportedOperationException("stub");
  }

  public CompletionStage<PresenceState> presence(Principal principal, String room) {
    throw new UnsupportedOperationException("stub");
  }

  public Source<RoomMessage, NotUsed> subscribe(Principal principal, String room, long since) {
    throw new UnsupportedOperationException("stub");
  }

  /** The node's registry of live connections by session id. */
  public Connections connections() {
    throw new UnsupportedOperationException("stub");
  }
}
