package dev.troupe.http.rooms;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.live.RoomLive;
import dev.troupe.http.rooms.IncomingMessages.Incoming;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection's handling of what its client sends: parse, rate-limit, then join,
 * leave, post or signal through {@link Rooms}. Every answer (acks, refusals) is offered into the
 * client's own queue, so it keeps its place among the room outputs and a full queue cuts the
 * client off like any other output would. Called by one stage, one message at a time; the
 * completions of posts and joins only offer into the queue, which is thread-safe.
 */
final class SocketSession {

  private static final Logger log = LoggerFactory.getLogger(SocketSession.class);

  /**
   * Joins of one connection that may wait for their answer at once; one more is refused ({@code
   * rate_limited}, the client asks again later). Each join asks the room, whose mailbox is
   * shared with everyone's posts.
   */
  static final int MAX_JOINS_IN_FLIGHT = 8;

  private final Rooms rooms;
  private final RoomLive live;
  private final RoomsSettings settings;
  private final ClientFrames frames;
  private RoomClient client;
  private final Principal principal;
  private final String requestId;
  private final RateLimiter limiter;
  /** Joins and leaves: a bucket of their own, so rejoining after a reconnect costs no posts. */
  private final RateLimiter roomLimiter;
  private final AtomicInteger joinsInFlight = new AtomicInteger();
  private final long maxFrameBytes;
  private long posts;
  private boolean closing;

  SocketSession(
      Rooms rooms,
      ClientFrames frames,
      Principal principal,
      String requestId,
      long maxFrameBytes) {
    this.rooms = rooms;
    this.live = rooms.live();
    this.settings = rooms.settings();
    this.frames = frames;
    this.principal = principal;
    this.requestId = requestId;
    this.maxFrameBytes = maxFrameBytes;
    this.limiter = new RateLimiter(settings.postsPerSecond(), settings.postBurst(), System.nanoTime());
    this.roomLimiter = new RateLimiter(settings.postsPerSecond(), settings.postBurst(), System.nanoTime());
  }

  /** The connection's client, opened when its stream starts (before anything is received). */
  void open(RoomClient client) {
    this.client = client;
  }

  void receive(Incoming incoming) {
    if (closing || client == null) {
      return;
    }
    try {
      if (incoming instanceof IncomingMessages.Text text) {
        dispatch(frames.parse(text.text()));
      } else if (incoming instanceof IncomingMessages.TooLarge) {
        closing = true;
        client.offer(
            new RoomOutput.Removed(
                "", "too_large", "a frame is larger than " + maxFrameBytes + " bytes", true));
      } else if (incoming instanceof IncomingMessages.Binary) {
        refuse(null, null, "bad_frame", "binary frames are not supported; send JSON text");
      }
    } catch (RuntimeException e) {
      log.warn("handling a frame of connection {} failed", client.id(), e);
      refuse(null, null, "unavailable", "the frame could not be handled; retry later");
    }
  }

  private void dispatch(ClientFrame frame) {
    if (frame instanceof ClientFrame.Bad bad) {
      refuse(bad.room(), bad.ref(), "bad_frame", bad.message());
    } else if (frame instanceof ClientFrame.Join join) {
      join(join);
    } else if (frame instanceof ClientFrame.Leave leave) {
      if (!roomLimiter.tryAcquire(System.nanoTime())) {
        refuse(leave.room(), leave.ref(), "rate_limited", roomRateMessage());
        return;
      }
      try {
        live.leave(client, leave.room(), leave.ref());
      } catch (RuntimeException e) {
        refuse(leave.room(), leave.ref(), e);
      }
    } else if (frame instanceof ClientFrame.Post post) {
      post(post);
    } else if (frame instanceof ClientFrame.Signal signal) {
      signal(signal);
    }
  }

  private void join(ClientFrame.Join join) {
    if (!roomLimiter.tryAcquire(System.nanoTime())) {
      refuse(join.room(), join.ref(), "rate_limited", roomRateMessage());
      return;
    }
    if (joinsInFlight.incrementAndGet() > MAX_JOINS_IN_FLIGHT) {
      joinsInFlight.decrementAndGet();
      refuse(join.room(), join.ref(), "rate_limited",
          "more than " + MAX_JOINS_IN_FLIGHT + " joins waiting for an answer; ask again later");
      return;
    }
    stage(() -> live.join(client, principal, join.room(), join.since(), join.ref()))
        .whenComplete(
            (done, failure) -> {
              joinsInFlight.decrementAndGet();
              if (failure != null) {
                refuse(join.room(), join.ref(), failure);
              }
            });
  }

  private void post(ClientFrame.Post post) {
    if (!limiter.tryAcquire(System.nanoTime())) {
      refuse(post.room(), post.ref(), "rate_limited", rateMessage());
      return;
    }
    if (Utf8.length(post.body()) > settings.maxMessageBytes()) {
      refuse(post.room(), post.ref(), "too_large",
          "the body is larger than " + settings.maxMessageBytes() + " bytes");
      return;
    }
    String postId = requestId + "-" + (++posts);
    stage(() -> rooms.post(principal, postId, post.room(), Optional.ofNullable(post.key()), post.body()))
        .whenComplete(
            (result, failure) -> {
              if (failure == null) {
                client.offer(new RoomOutput.PostAcked(post.ref(), result));
              } else {
                refuse(post.room(), post.ref(), failure);
              }
            });
  }

  private void signal(ClientFrame.Signal signal) {
    if (!limiter.tryAcquire(System.nanoTime())) {
      refuse(signal.room(), signal.ref(), "rate_limited", rateMessage());
      return;
    }
    if (Utf8.length(signal.body()) > settings.maxSignalBytes()) {
      refuse(signal.room(), signal.ref(), "too_large",
          "the signal is larger than " + settings.maxSignalBytes() + " bytes");
      return;
    }
    try {
      live.signal(client, signal.room(), signal.body());
    } catch (RuntimeException e) {
      refuse(signal.room(), signal.ref(), e);
    }
  }

  private String roomRateMessage() {
    return "more than " + settings.postsPerSecond() + " joins and leaves per second";
  }

  private String rateMessage() {
    return "more than " + settings.postsPerSecond() + " posts and signals per second";
  }

  private void refuse(String room, String ref, Throwable failure) {
    RoomFailures.Failure f = RoomFailures.of(failure);
    refuse(room, ref, f.code(), f.message());
  }

  private void refuse(String room, String ref, String code, String message) {
    client.offer(new RoomOutput.Refused(room, ref, code, message));
  }

  /** The call's stage, or a failed one when the call throws instead. */
  private static <T> CompletionStage<T> stage(Supplier<CompletionStage<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
