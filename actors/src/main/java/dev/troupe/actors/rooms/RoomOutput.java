package dev.troupe.actors.rooms;

import java.util.List;
import java.util.Map;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * What a connected client receives, in order, through its {@link RoomClient}'s bounded queue. The
 * HTTP edge renders each as a WebSocket frame or an SSE event; none of these cross the network.
 */
public sealed interface RoomOutput {

  /** The room of this output. */
  String room();

  /** A join succeeded ({@code ack} frame): first output of a join. */
  record Joined(String room, String ref, long head) implements RoomOutput {}

  /** A leave succeeded ({@code ack} frame). */
  record Left(String room, String ref) implements RoomOutput {}

  /** A persisted message, delivered once and in offset order per room. */
  record Message(RoomMessage message) implements RoomOutput {
    @Override
    public String room() {
      return message.room();
    }
  }

  /**
   * Messages read back from the journal (a resume or a gap), in order; the edge flattens it in
   * place, so what follows it in the queue follows its last message.
   */
  record Replay(String room, Source<RoomMessage, NotUsed> messages) implements RoomOutput {}

  /** The full presence right after a join (SSE: before anything else). */
  record PresenceSnapshot(PresenceState state) implements RoomOutput {
    @Override
    public String room() {
      return state.room();
    }
  }

  /**
   * Who joined and left since the last diff, batched. Above the list threshold both maps are
   * empty and only the counts say how many are present.
   */
  record PresenceDiff(
      String room,
      Map<String, List<PresenceMeta>> joins,
      Map<String, List<PresenceMeta>> leaves,
      int userCount,
      int connectionCount)
      implements RoomOutput {}

  /** An ephemeral signal another connection sent (typing...), never persisted. */
  record Signal(String room, String sender, String body) implements RoomOutput {}

  /** The room was closed; nothing more comes for it. */
  record Closed(String room) implements RoomOutput {}

  /**
   * This connection was put out of the room (kick, ban, removal from a members-only room): the
   * edge sends an error frame with the code and then, for a kick, ends the connection.
   */
  record Removed(String room, String code, String message, boolean disconnect) implements RoomOutput {}

  /**
   * A post this connection sent is in the journal ({@code ack} frame with its offset). Queued by
   * the edge itself, so it keeps its place among the client's other outputs.
   */
  record PostAcked(String ref, PostResult result) implements RoomOutput {
    @Override
    public String room() {
      return result.room();
    }
  }

  /** A refusal to answer a client frame ({@code error} frame with its {@code ref}). */
  record Refused(String room, String ref, String code, String message) implements RoomOutput {}
}
