package dev.troupe.http.rooms;

import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.http.rooms.IncomingMessages.Incoming;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection in one stage, so the handler's blueprint is a single module and a
 * connection costs few stages.
 *
 * <ul>
 *   <li>Outbound: when the stage starts it runs the client's outputs ({@code outputs}, given the
 *       callback that receives the opened client) as a sub-stream and renders each ({@code
 *       render}). An output that disconnects (kick, revoked session, a frame too large) is sent,
 *       then the stage completes; a failure becomes a last error frame ({@code slow_consumer} for
 *       a client that fell behind, else {@code unavailable}), then the stage completes. It never
 *       fails, so the close code is always 1000 and the error frame says why.
 *   <li>Inbound: read only once the client is open; each message read whole under the size limit
 *       ({@link IncomingMessages}) and handed to the {@link SocketSession}, one at a time.
 *   <li>Either side ending ends the other; the outputs' stage then disconnects the client.
 * </ul>
 */
final class SocketStage extends GraphStage<FlowShape<Message, Message>> {

  private static final Logger log = LoggerFactory.getLogger(SocketStage.class);

  private final Inlet<Message> in = Inlet.create("SocketStage.in");
  private final Outlet<Message> out = Outlet.create("SocketStage.out");
  private final FlowShape<Message, Message> shape = FlowShape.of(in, out);
  private final Function<Consumer<RoomClient>, Source<RoomOutput, NotUsed>> outputs;
  private final SocketSession session;
  private final Frames frames;

  /** What all connections of a node share: reading, rendering, the last frames. */
  record Frames(
      IncomingMessages incoming,
      Materializer materializer,
      Function<RoomOutput, Message> render,
      Message slowConsumer,
      Message unavailable) {}

  SocketStage(
      Function<Consumer<RoomClient>, Source<RoomOutput, NotUsed>> outputs,
      SocketSession session,
      Frames frames) {
    this.outputs = outputs;
    this.session = session;
    this.frames = frames;
  }

  @Override
  public FlowShape<Message, Message> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic {
    private final SubSinkInlet<RoomOutput> sent = new SubSinkInlet<>("SocketStage.outputs");
    private final AsyncCallback<RoomClient> opened = createAsyncCallback(this::opened);
    private final AsyncCallback<Incoming> read = createAsyncCallback(this::received);

    Logic() {
      super(shape);
      setHandler(
          in,
          new AbstractInHandler() {
            @Override
            public void onPush() {
              CompletableFuture<Incoming> incoming =
                  frames.incoming().read(grab(in), frames.materializer()).toCompletableFuture();
              if (incoming.isDone()) {
                received(incoming.join());
              } else {
                incoming.whenComplete(
                    (message, failure) -> read.invoke(failure == null ? message : new IncomingMessages.Gone()));
              }
            }

            @Override
            public void onUpstreamFinish() {
              completeStage();
            }

            @Override
            public void onUpstreamFailure(Throwable failure) {
              completeStage();
            }
          });
      setHandler(
          out,
          new AbstractOutHandler() {
            @Override
            public void onPull() {
              if (!sent.hasBeenPulled() && !sent.isClosed()) {
                sent.pull();
              }
            }
          });
      sent.setHandler(
          new AbstractInHandler() {
            @Override
            public void onPush() {
              RoomOutput output = sent.grab();
              push(out, frames.render().apply(output));
              if (output instanceof RoomOutput.Removed removed && removed.disconnect()) {
                completeStage();
              }
            }

            @Override
            public void onUpstreamFinish() {
              completeStage();
            }

            @Override
            public void onUpstreamFailure(Throwable failure) {
              boolean slow = failure instanceof RoomClient.SlowConsumer;
              if (!slow) {
                log.warn("the outputs of a WebSocket connection failed", failure);
              }
              emit(out, slow ? frames.slowConsumer() : frames.unavailable(), Logic.this::completeStage);
            }
          });
    }

    @Override
    public void preStart() {
      outputs.apply(opened::invoke).runWith(sent.sink(), subFusingMaterializer());
    }

    private void opened(RoomClient client) {
      session.open(client);
      if (!isClosed(in)) {
        pull(in);
      }
    }

    private void received(Incoming incoming) {
      session.receive(incoming);
      if (!isClosed(in)) {
        pull(in);
      }
    }
  }
}
