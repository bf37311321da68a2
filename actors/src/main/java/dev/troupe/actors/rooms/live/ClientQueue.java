package dev.troupe.actors.rooms.live;

import dev.troupe.actors.rooms.RoomOutput;
import java.util.ArrayDeque;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;

/**
 * A client's bounded queue of outputs. Unlike {@code Source.queue(n)} it needs no stream of its own:
 * it exists as soon as the client does, and the one stage of the connection's stream that sends
 * the outputs ({@link ClientSource}) drains it. Hubs offer from any thread and never wait; the
 * stage is woken when it waits for an output (so a busy connection costs no wake-ups) and when the
 * queue ends, with or without demand, so a failure is seen at once.
 *
 * <p>As with {@code Source.queue}: {@link #complete} lets the stage send what is queued and then
 * complete; {@link #fail} drops what is queued and fails the stage.
 */
final class ClientQueue implements BoundedSourceQueue<RoomOutput> {

  private final int capacity;
  private final ArrayDeque<RoomOutput> buffer = new ArrayDeque<>(8);
  private boolean ended;
  private Throwable failure;
  private Runnable wake;
  private boolean waiting;
  private boolean attached;

  ClientQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  @Override
  public QueueOfferResult offer(RoomOutput output) {
    Runnable wake;
    synchronized (this) {
      if (ended) {
        return failure == null ? QueueOfferResult.closed() : new QueueOfferResult.Failure(failure);
      }
      if (buffer.size() >= capacity) {
        return QueueOfferResult.dropped();
      }
      buffer.addLast(output);
      wake = waiting ? this.wake : null;
      waiting = false;
    }
    if (wake != null) {
      wake.run();
    }
    return QueueOfferResult.enqueued();
  }

  @Override
  public void complete() {
    end(null);
  }

  @Override
  public void fail(Throwable cause) {
    end(cause);
  }

  private void end(Throwable cause) {
    Runnable wake;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      failure = cause;
      if (cause != null) {
        buffer.clear();
      }
      wake = this.wake;
      waiting = false;
    }
    if (wake != null) {
      wake.run();
    }
  }

  @Override
  public synchronized boolean isCompleted() {
    return ended;
  }

  @Override
  public synchronized int size() {
    return buffer.size();
  }

  /**
   * Attaches the draining stage: {@code wake} is run (from the offering or ending thread) after
   * {@link #poll} found nothing, once there is something, and when the queue ends.
   */
  synchronized void attach(Runnable wake) {
    this.wake = wake;
    this.attached = true;
  }

  /** Whether a stage has ever attached to drain the queue. */
  synchronized boolean attached() {
    return attached;
  }

  /** The next output, or null: then the queue has ended ({@link #ended}) or the stage is woken. */
  synchronized RoomOutput poll() {
    RoomOutput next = buffer.pollFirst();
    if (next == null && !ended) {
      waiting = true;
    }
    return next;
  }

  /** Whether the queue has ended and holds nothing more. */
  synchronized boolean ended() {
    return ended && buffer.isEmpty();
  }

  /** Why the queue failed, or null when it completed (or has not ended). */
  synchronized Throwable failure() {
    return failure;
  }

  /** The stage stopped: nothing will take outputs any more. */
  void close() {
    synchronized (this) {
      ended = true;
      wake = null;
      waiting = false;
      buffer.clear();
    }
  }
}
