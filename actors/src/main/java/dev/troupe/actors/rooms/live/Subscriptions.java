package dev.troupe.actors.rooms.live;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.cluster.StageFailures;
import java.util.OptionalLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/** A room's messages as a plain source, for code on the node ({@link RoomLive#subscribe}). */
final class Subscriptions {

  private Subscriptions() {}

  /**
   * The room's messages after {@code since}, then live ones: a client of kind {@code api} joined
   * when the source is run. Completes when the room closes; fails with {@link RoomException} when
   * access is refused or the principal is put out of the room, and with {@link
   * RoomClient.SlowConsumer} if the consumer falls {@code client.buffer} outputs behind.
   */
  static Source<RoomMessage, NotUsed> of(RoomLive live, Principal principal, String room, long since) {
    return Source.lazyCompletionStageSource(
            () -> {
              RoomLive.Connection connection = live.connect(principal, "api");
              return live.join(connection.client(), principal, room, OptionalLong.of(since), "subscribe")
                  .handle(
                      (done, failure) -> {
                        if (failure != null) {
                          live.disconnect(connection.client());
                          return Source.<RoomMessage>failed(StageFailures.unwrap(failure));
                        }
                        return connection
                            .outputs()
                            .takeWhile(output -> !(output instanceof RoomOutput.Closed))
                            .map(Subscriptions::messageOrFailure)
                            .filter(output -> output instanceof RoomOutput.Message)
                            .map(output -> ((RoomOutput.Message) output).message());
                      });
            })
        .mapMaterializedValue(future -> NotUsed.getInstance());
  }

  private static RoomOutput messageOrFailure(RoomOutput output) {
    if (output instanceof RoomOutput.Removed removed) {
      throw new RoomException(RoomException.Kind.FORBIDDEN, removed.message());
    }
    return output;
  }
}
