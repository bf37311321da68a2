package dev.troupe.http.rooms;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.actors.rooms.live.RoomLive;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow of one WebSocket connection ({@code GET /ws}). The client is connected to the node's
 * rooms when the flow starts, not when the route runs, so a handshake that never completes leaves
 * nothing behind.
 *
 * <ul>
 *   <li>Outbound: the client's queue of room outputs rendered as text frames. A removal that
 *       disconnects (kick, revoked session, a frame too large) is sent and then the flow
 *       completes; a client that fell behind gets {@code slow_consumer} and then the flow
 *       completes. The flow never fails, so the close code is always 1000 and the error frame
 *       says why.
 *   <li>Inbound: each message read whole under the size limit, then handed to the connection's
 *       {@link SocketSession}, one at a time.
 *   <li>Either side ending ends the other; then the client leaves all its rooms.
 * </ul>
 */
final class RoomSocket {

  private static final Logger log = LoggerFactory.getLogger(RoomSocket.class);

  /** Room of the connection's own error frames (none). */
  private static final String NO_ROOM = null;

  /** What a frame may carry beyond the largest body: type, room, ref and the JSON around them. */
  static final long ENVELOPE_BYTES = 4096;

  private final Rooms rooms;
  private final RoomJson json;
  private final ClientFrames frames;
  private final SocketStage.Frames shared;

  RoomSocket(Rooms rooms, RoomJson json, ClientFrames frames, Materializer materializer) {
    this.rooms = rooms;
    this.json = json;
    this.frames = frames;
    this.shared =
        new SocketStage.Frames(
            new IncomingMessages(rooms.settings().maxMessageBytes() + ENVELOPE_BYTES),
            materializer,
            this::frame,
            errorFrame(
                "slow_consumer",
                "the connection fell more than " + rooms.settings().clientBuffer()
                    + " outputs behind; reconnect and resume from the last offset"),
            errorFrame("unavailable", "the connection failed; reconnect"));
  }

  /**
   * The connection's flow for the principal; it connects when it is materialized. One stage
   * ({@link SocketStage}) that runs the client's outputs ({@link RoomLive#outputs}) inside it.
   */
  Flow<Message, Message, NotUsed> flow(Principal principal, String requestId) {
    SocketSession session =
        new SocketSession(rooms, frames, principal, requestId, shared.incoming().maxBytes());
    RoomLive live = rooms.live();
    return Flow.fromGraph(
        new SocketStage(onOpen -> live.outputs(principal, "ws", onOpen), session, shared));
  }

  /**
   * The frame of an output. A broadcast output is the same object for every client of the node's
   * hub, so its frame is rendered once and the same strict message is sent to all of them.
   */
  private Message frame(RoomOutput output) {
    if (output instanceof RoomOutput.Message m) {
      return m.memo().get(this, () -> TextMessage.create(json.frame(output)));
    }
    if (output instanceof RoomOutput.Signal s) {
      return s.memo().get(this, () -> TextMessage.create(json.frame(output)));
    }
    if (output instanceof RoomOutput.PresenceDiff d) {
      return d.memo().get(this, () -> TextMessage.create(json.frame(output)));
    }
    return TextMessage.create(json.frame(output));
  }

  static void disconnect(RoomLive live, RoomClient client) {
    try {
      live.disconnect(client);
    } catch (RuntimeException e) {
      log.warn("disconnecting client {} failed", client.id(), e);
    }
  }

  private Message errorFrame(String code, String message) {
    return TextMessage.create(json.error(NO_ROOM, null, code, message));
  }
}
