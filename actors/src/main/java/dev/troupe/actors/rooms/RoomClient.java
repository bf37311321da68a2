package dev.troupe.actors.rooms;

import java.time.Instant;
import java.util.Objects;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * One live connection (a WebSocket, an SSE stream, or a Java API subscription) as the rooms of its
 * node see it: who it is, and its own bounded queue of {@link RoomOutput}s.
 *
 * <p>Room hubs {@link #offer} into the queue from their own threads and never wait. When the queue
 * is full the client is too slow: the queue is failed with {@link SlowConsumer}, the edge sends
 * {@code slow_consumer} and closes, and the client resumes by offset. Nobody else slows down.
 *
 * @param id unique in the cluster (node address + counter)
 * @param org the tenant
 * @param user the username
 * @param sessionId the login session it was opened with (for revocation)
 * @param kind {@code ws}, {@code sse} or {@code api}
 * @param openedAt when it was opened
 * @param queue its outputs; the edge drains it
 */
public record RoomClient(
    String id,
    String org,
    String user,
    String sessionId,
    String kind,
    Instant openedAt,
    BoundedSourceQueue<RoomOutput> queue) {

  public RoomClient {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(org, "org");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(queue, "queue");
  }

  /** Raised into the queue when the client falls behind. */
  public static final class SlowConsumer extends RuntimeException {
    public SlowConsumer() {
      super("the client fell behind its buffer", null, false, false);
    }
  }

  /**
   * Puts an output in the queue. When the queue is full, fails it with {@link SlowConsumer} and
   * answers false; also false when the client is gone.
   */
  public boolean offer(RoomOutput output) {
    QueueOfferResult result = queue.offer(output);
    if (result == QueueOfferResult.enqueued()) {
      return true;
    }
    if (result == QueueOfferResult.dropped()) {
      queue.fail(new SlowConsumer());
    }
    return false;
  }

  /** Records compare by identity of the connection. */
  @Override
  public boolean equals(Object other) {
    return other instanceof RoomClient c && c.id.equals(id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }
}
