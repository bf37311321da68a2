package dev.troupe.actors.rooms.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The client queue and the one stage that drains it in the connection's own stream. */
class ClientSourceTest {

  private static final ActorTestKit testKit = ActorTestKit.create("ClientSourceTest");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static RoomClient client(ClientQueue queue) {
    return new RoomClient("c1", "acme", "ann", "s1", "ws", Instant.now(), queue);
  }

  private static RoomMessage message(long offset) {
    return new RoomMessage("lobby", offset, "ann", Instant.EPOCH, "{\"n\":" + offset + "}");
  }

  @Test
  void sendsWhatWasQueuedBeforeItRanThenCompletesAndEndsTheClientOnce() throws Exception {
    ClientQueue queue = new ClientQueue(8);
    RoomClient client = client(queue);
    AtomicInteger ended = new AtomicInteger();
    RoomOutput joined = new RoomOutput.Joined("lobby", "r1", 3);
    assertThat(client.offer(joined)).isTrue();
    assertThat(queue.size()).isEqualTo(1);

    CompletionStage<List<RoomOutput>> all =
        Source.fromGraph(new ClientSource(() -> client, c -> ended.incrementAndGet()))
            .runWith(Sink.seq(), testKit.system());
    RoomOutput signal = new RoomOutput.Signal("lobby", "bob", "{}");
    assertThat(client.offer(signal)).isTrue();
    queue.complete();

    assertThat(all.toCompletableFuture().get(5, TimeUnit.SECONDS)).containsExactly(joined, signal);
    assertThat(ended).hasValue(1);
    assertThat(client.offer(signal)).isFalse();
  }

  @Test
  void flattensAReplayInPlace() throws Exception {
    ClientQueue queue = new ClientQueue(8);
    RoomClient client = client(queue);
    client.offer(new RoomOutput.Joined("lobby", null, 2));
    client.offer(new RoomOutput.Replay("lobby", Source.from(List.of(message(1), message(2)))));
    client.offer(new RoomOutput.Message(message(3)));
    queue.complete();

    List<RoomOutput> outputs =
        Source.fromGraph(new ClientSource(() -> client, c -> {}))
            .runWith(Sink.seq(), testKit.system())
            .toCompletableFuture()
            .get(5, TimeUnit.SECONDS);

    assertThat(outputs)
        .containsExactly(
            new RoomOutput.Joined("lobby", null, 2),
            new RoomOutput.Message(message(1)),
            new RoomOutput.Message(message(2)),
            new RoomOutput.Message(message(3)));
  }

  @Test
  void aFullQueueDropsAndFailingItDropsWhatIsQueuedAndFailsTheStream() throws Exception {
    ClientQueue queue = new ClientQueue(2);
    RoomClient client = client(queue);
    assertThat(queue.offer(new RoomOutput.Closed("a"))).isEqualTo(QueueOfferResult.enqueued());
    assertThat(queue.offer(new RoomOutput.Closed("b"))).isEqualTo(QueueOfferResult.enqueued());
    // Full: RoomClient.offer fails the queue with SlowConsumer.
    assertThat(client.offer(new RoomOutput.Closed("c"))).isFalse();
    assertThat(queue.isCompleted()).isTrue();
    assertThat(queue.offer(new RoomOutput.Closed("d"))).isInstanceOf(QueueOfferResult.Failure.class);

    CompletionStage<List<RoomOutput>> all =
        Source.fromGraph(new ClientSource(() -> client, c -> {})).runWith(Sink.seq(), testKit.system());
    assertThatThrownBy(() -> all.toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RoomClient.SlowConsumer.class);
  }

  @Test
  void wakesUpForAnOutputOfferedWhileItWaitsAndEndsTheClientWhenCancelled() throws Exception {
    ClientQueue queue = new ClientQueue(8);
    RoomClient client = client(queue);
    CompletableFuture<RoomClient> ended = new CompletableFuture<>();
    CompletionStage<RoomOutput> first =
        Source.fromGraph(new ClientSource(() -> client, ended::complete)).runWith(Sink.head(), testKit.system());
    // Nothing queued yet: the stage waits (its wake-up is registered), the sink has nothing.
    Thread.onSpinWait();
    assertThat(first.toCompletableFuture().isDone()).isFalse();
    RoomOutput closed = new RoomOutput.Closed("lobby");
    client.offer(closed);
    assertThat(first.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(closed);

    // Sink.head cancels after the first element: the client is ended and its queue closed.
    assertThat(ended.get(5, TimeUnit.SECONDS)).isSameAs(client);
    assertThat(client.offer(closed)).isFalse();
  }

  @Test
  void aClientThatCannotBeOpenedFailsTheStreamAndIsNotEnded() {
    AtomicInteger ended = new AtomicInteger();
    Pair<?, CompletionStage<List<RoomOutput>>> run =
        Source.fromGraph(
                new ClientSource(
                    () -> {
                      throw new IllegalStateException("not started");
                    },
                    c -> ended.incrementAndGet()))
            .toMat(Sink.seq(), Keep.both())
            .run(testKit.system());
    assertThatThrownBy(() -> run.second().toCompletableFuture().get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(ended).hasValue(0);
  }

  @Test
  void aBroadcastOutputRendersOnceAndIsEqualWhateverItsMemo() {
    RoomOutput.Message one = new RoomOutput.Message(message(1));
    AtomicInteger renders = new AtomicInteger();
    Object key = new Object();
    String first = one.memo().get(key, () -> "frame-" + renders.incrementAndGet());
    String again = one.memo().get(key, () -> "frame-" + renders.incrementAndGet());
    assertThat(again).isSameAs(first);
    assertThat(renders).hasValue(1);
    // Another renderer gets its own rendering, not the kept one.
    assertThat(one.memo().<String>get(new Object(), () -> "other")).isEqualTo("other");

    assertThat(one).isEqualTo(new RoomOutput.Message(message(1))).hasSameHashCodeAs(new RoomOutput.Message(message(1)));
    assertThat(new RoomOutput.Signal("r", "ann", "{}")).isEqualTo(new RoomOutput.Signal("r", "ann", "{}"));
    assertThat(new RoomOutput.Signal("r", "ann", "{}")).isNotEqualTo(new RoomOutput.Signal("r", "bob", "{}"));
    assertThat(new RoomOutput.PresenceDiff("r", java.util.Map.of(), java.util.Map.of(), 1, 2))
        .isEqualTo(new RoomOutput.PresenceDiff("r", java.util.Map.of(), java.util.Map.of(), 1, 2));
  }
}
