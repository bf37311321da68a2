package dev.troupe.actors.rooms;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
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

  /**
   * A persisted message, delivered once and in offset order per room. A hub offers the same
   * instance to all its clients, so the edge renders it once ({@link #memo}).
   */
  record Message(RoomMessage message, Memo memo) implements RoomOutput {
    public Message(RoomMessage message) {
      this(message, new Memo());
    }

    @Override
    public String room() {
      return message.room();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Message m && m.message.equals(message);
    }

    @Override
    public int hashCode() {
      return message.hashCode();
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
      int connectionCount,
      Memo memo)
      implements RoomOutput {
    public PresenceDiff(
        String room,
        Map<String, List<PresenceMeta>> joins,
        Map<String, List<PresenceMeta>> leaves,
        int userCount,
        int connectionCount) {
      this(room, joins, leaves, userCount, connectionCount, new Memo());
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof PresenceDiff d
          && Objects.equals(d.room, room)
          && Objects.equals(d.joins, joins)
          && Objects.equals(d.leaves, leaves)
          && d.userCount == userCount
          && d.connectionCount == connectionCount;
    }

    @Override
    public int hashCode() {
      return Objects.hash(room, joins, leaves, userCount, connectionCount);
    }
  }

  /** An ephemeral signal another connection sent (typing...), never persisted. */
  record Signal(String room, String sender, String body, Memo memo) implements RoomOutput {
    public Signal(String room, String sender, String body) {
      this(room, sender, body, new Memo());
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Signal s
          && Objects.equals(s.room, room)
          && Objects.equals(s.sender, sender)
          && Objects.equals(s.body, body);
    }

    @Override
    public int hashCode() {
      return Objects.hash(room, sender, body);
    }
  }

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

  /**
   * The rendering of a broadcast output (e.g. its WebSocket frame), kept with it so an edge that
   * sends the same output to many clients renders it once. The first renderer to store keeps the
   * slot; another (SSE next to WebSocket) renders for itself. Never part of equality.
   */
  final class Memo {
    private record Entry(Object key, Object value) {}

    private volatile Entry entry;

    /**
     * The rendering for {@code key}: the kept one, else {@code render}'s, kept when the slot is
     * free. Two threads may both render the first time; either result is kept.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Supplier<T> render) {
      Entry kept = entry;
      if (kept != null && kept.key == key) {
        return (T) kept.value;
      }
      T value = render.get();
      if (kept == null) {
        entry = new Entry(key, value);
      }
      return value;
    }

    @Override
    public String toString() {
      return "Memo";
    }
  }

  /** A refusal to answer a client frame ({@code error} frame with its {@code ref}). */
  record Refused(String room, String ref, String code, String message) implements RoomOutput {}
}
