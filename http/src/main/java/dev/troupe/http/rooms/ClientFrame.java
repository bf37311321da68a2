package dev.troupe.http.rooms;

import java.util.OptionalLong;

/** A frame a WebSocket client sent, parsed by {@link ClientFrames}. */
sealed interface ClientFrame {

  /** {@code {"type":"join","room","since"?,"ref"}}. */
  record Join(String room, String ref, OptionalLong since) implements ClientFrame {}

  /** {@code {"type":"leave","room","ref"}}. */
  record Leave(String room, String ref) implements ClientFrame {}

  /**
   * {@code {"type":"post","room","body","ref","key"?}}: the body is the object's text as sent;
   * {@code key} (null when absent) is the post's idempotency key, as {@code Idempotency-Key} over
   * HTTP: a retry with the same key is answered with the first post's result.
   */
  record Post(String room, String ref, String body, String key) implements ClientFrame {
    /** A post without a key. */
    Post(String room, String ref, String body) {
      this(room, ref, body, null);
    }
  }

  /** {@code {"type":"signal","room","body"}}: ephemeral; the body is any JSON value's text. */
  record Signal(String room, String ref, String body) implements ClientFrame {}

  /** Not a frame of the protocol; answered with {@code bad_frame} (with what was readable). */
  record Bad(String room, String ref, String message) implements ClientFrame {}
}
