package dev.troupe.actors.rooms.live;

import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * The one stage that sends a client's outputs: it drains the client's {@link ClientQueue} in the
 * connection's own stream (no stream per queue), flattens a {@link RoomOutput.Replay} in place by
 * running its messages as a sub-stream of this stage, and hands the client to {@code onEnd} when it
 * stops, however it stops. The client is opened when the stage starts ({@code open}), so a stream
 * that is never run leaves nothing behind. Fails with what the queue failed with (or what {@code
 * open} threw).
 */
final class ClientSource extends GraphStage<SourceShape<RoomOutput>> {

  private final Outlet<RoomOutput> out = Outlet.create("ClientSource.out");
  private final SourceShape<RoomOutput> shape = SourceShape.of(out);
  private final Supplier<RoomClient> open;
  private final Consumer<RoomClient> onEnd;

  /**
   * @param open opens the client (its queue must be a {@link ClientQueue}); run once when the stage
   *     starts
   * @param onEnd run once with the client when the stage stops
   */
  ClientSource(Supplier<RoomClient> open, Consumer<RoomClient> onEnd) {
    this.open = open;
    this.onEnd = onEnd;
  }

  @Override
  public SourceShape<RoomOutput> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends GraphStageLogic {
    private RoomClient client;
    private ClientQueue queue;
    private SubSinkInlet<RoomMessage> replay;
    private final AsyncCallback<NotUsed> woken = createAsyncCallback(ignored -> woken());

    Logic() {
      super(shape);
      setHandler(
          out,
          new AbstractOutHandler() {
            @Override
            public void onPull() {
              if (replay != null) {
                if (!replay.hasBeenPulled()) {
                  replay.pull();
                }
              } else {
                drain();
              }
            }
          });
    }

    @Override
    public void preStart() {
      try {
        client = open.get();
        queue = (ClientQueue) client.queue();
      } catch (RuntimeException e) {
        failStage(e);
        return;
      }
      queue.attach(() -> woken.invoke(NotUsed.getInstance()));
      woken();
    }

    /** Fails at once when the queue failed (with or without demand), else sends what it can. */
    private void woken() {
      Throwable failure = queue.failure();
      if (failure != null) {
        failStage(failure);
      } else {
        drain();
      }
    }

    private void drain() {
      if (replay != null || !isAvailable(out)) {
        return;
      }
      RoomOutput next = queue.poll();
      if (next instanceof RoomOutput.Replay r) {
        replay(r);
      } else if (next != null) {
        push(out, next);
      } else if (queue.ended()) {
        Throwable failure = queue.failure();
        if (failure == null) {
          completeStage();
        } else {
          failStage(failure);
        }
      }
    }

    private void replay(RoomOutput.Replay r) {
      SubSinkInlet<RoomMessage> in = new SubSinkInlet<>("ClientSource.replay");
      replay = in;
      in.setHandler(
          new AbstractInHandler() {
            @Override
            public void onPush() {
              push(out, new RoomOutput.Message(in.grab()));
            }

            @Override
            public void onUpstreamFinish() {
              replay = null;
              drain();
            }

            @Override
            public void onUpstreamFailure(Throwable failure) {
              failStage(failure);
            }
          });
      r.messages().runWith(in.sink(), subFusingMaterializer());
      in.pull();
    }

    @Override
    public void postStop() {
      if (queue != null) {
        queue.close();
      }
      if (client != null) {
        onEnd.accept(client);
      }
    }
  }
}
