package dev.troupe.actors.rooms.live;

import dev.troupe.actors.rooms.RoomClient;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A connected client whose outputs never start to run (an SSE response dropped because its client
 * went away while the join was checked) is disconnected after {@code
 * troupe.rooms.client.start-timeout}, so it leaves the registry and the hubs.
 */
final class NeverRun {

  private NeverRun() {}

  static void forget(ActorSystem<?> system, Duration timeout, RoomClient client, Consumer<RoomClient> disconnect) {
    system
        .scheduler()
        .scheduleOnce(
            timeout,
            () -> {
              if (client.queue() instanceof ClientQueue queue && !queue.attached()) {
                disconnect.accept(client);
              }
            },
            system.executionContext());
  }
}
