package dev.troupe.http.rooms;

import java.util.OptionalLong;

/** A frame a WebSocket client sent, parsed by {@link ClientFrames}. */
sealed interface ClientFrame {

  /** {@code {"type":"join","room","since"?,"ref"}}. */
  record Join(String room, String ref, OptionalLong since) implements ClientFrame {}

  /** {@code {"type":"leave","room","ref"}}. */
  record Leave(String room, String ref) implements ClientFrame {}

  /** {@code {"type":"post","room","body","ref"}}: the body is the object's text as sent. */
  record Post(String room, String ref, String body) implements ClientFrame {}

  /** {@code {"type":"signal","room","body"}}: ephemeral; the body is any JSON value's text. */
  record Signal(String room, String ref, String body) implements ClientFrame {}

  /** Not a frame of the protocol; answered with {@code bad_frame} (with what was readable). */
  record Bad(String room, String ref, String message) implements ClientFrame {}
}
