package dev.troupe.http.rooms;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.Rooms;
import dev.troupe.actors.rooms.live.RoomLive;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
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
  private final IncomingMessages incoming;

  RoomSocket(Rooms rooms, RoomJson json, ClientFrames frames) {
    this.rooms = rooms;
    this.json = json;
    this.frames = frames;
    this.incoming = new IncomingMessages(rooms.settings().maxMessageBytes() + ENVELOPE_BYTES);
  }

  /** The connection's flow for the principal; it connects when it is materialized. */
  Flow<Message, Message, ?> flow(Principal principal, String requestId) {
    return Flow.fromMaterializer((materializer, attributes) -> connected(principal, requestId, materializer));
  }

  private Flow<Message, Message, NotUsed> connected(Principal principal, String requestId, Materializer materializer) {
    RoomLive live = rooms.live();
    RoomLive.Connection connection;
    try {
      connection = live.connect(principal, "ws");
    } catch (RuntimeException e) {
      log.warn("connecting a WebSocket client of {} failed", principal.username(), e);
      String error = json.error(NO_ROOM, null, "unavailable", "the node cannot take connections now; retry later");
      return Flow.fromSinkAndSourceCoupled(Sink.ignore(), Source.single(TextMessage.create(error)));
    }
    RoomClient client = connection.client();
    SocketSession session =
        new SocketSession(rooms, frames, client, principal, requestId, incoming.maxBytes());
    Sink<Message, CompletionStage<Done>> inbound =
        Sink.foreachAsync(1, message -> incoming.read(message, materializer).thenAccept(session::receive));
    Source<Message, NotUsed> outbound =
        connection
            .outputs()
            .takeWhile(output -> !disconnects(output), true)
            .<Message>map(output -> TextMessage.create(json.frame(output)))
            .recover(RoomClient.SlowConsumer.class, () -> errorFrame("slow_consumer",
                "the connection fell more than " + rooms.settings().clientBuffer()
                    + " outputs behind; reconnect and resume from the last offset"))
            .recover(Throwable.class, () -> errorFrame("unavailable", "the connection failed; reconnect"))
            .watchTermination(
                (notUsed, done) -> {
                  done.whenComplete((ok, failure) -> disconnect(live, client));
                  return notUsed;
                });
    return Flow.fromSinkAndSourceCoupled(inbound, outbound);
  }

  static void disconnect(RoomLive live, RoomClient client) {
    try {
      live.disconnect(client);
    } catch (RuntimeException e) {
      log.warn("disconnecting client {} failed", client.id(), e);
    }
  }

  private static boolean disconnects(RoomOutput output) {
    return output instanceof RoomOutput.Removed removed && removed.disconnect();
  }

  private Message errorFrame(String code, String message) {
    return TextMessage.create(json.error(NO_ROOM, null, code, message));
  }
}
