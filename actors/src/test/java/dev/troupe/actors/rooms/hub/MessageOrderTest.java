package dev.troupe.actors.rooms.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.rooms.RoomMessage;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MessageOrderTest {

  private static RoomMessage m(long offset) {
    return new RoomMessage("lobby", offset, "alice", Instant.EPOCH, "{}");
  }

  private static List<Long> offsets(List<RoomMessage> messages) {
    return messages.stream().map(RoomMessage::offset).toList();
  }

  @Test
  void theNextOffsetGoesOutAndDuplicatesDoNot() {
    MessageOrder order = new MessageOrder(5);
    assertThat(offsets(order.accept(m(6)))).containsExactly(6L);
    assertThat(order.accept(m(6))).isEmpty();
    assertThat(order.accept(m(3))).isEmpty();
    assertThat(order.last()).isEqualTo(6);
    assertThat(order.needsFill()).isFalse();
  }

  @Test
  void aHoleHoldsLaterMessagesUntilTheJournalFillsIt() {
    MessageOrder order = new MessageOrder(0);
    order.accept(m(1));
    assertThat(order.accept(m(4))).isEmpty();
    assertThat(order.accept(m(5))).isEmpty();
    assertThat(order.needsFill()).isTrue();
    assertThat(order.startFill()).isEqualTo(1);
    assertThat(order.needsFill()).isFalse();
    assertThat(order.target()).isEqualTo(5);

    // 2 arrives live during the fill; the read then brings 2..5.
    assertThat(offsets(order.accept(m(2)))).containsExactly(2L);
    List<RoomMessage> out = order.filled(List.of(m(2), m(3), m(4), m(5)));
    assertThat(offsets(out)).containsExactly(3L, 4L, 5L);
    assertThat(order.last()).isEqualTo(5);
    assertThat(order.needsFill()).isFalse();
  }

  @Test
  void aHeadAboveTheLastDeliveredIsAHole() {
    MessageOrder order = new MessageOrder(10);
    order.head(9);
    assertThat(order.needsFill()).isFalse();
    order.head(12);
    assertThat(order.needsFill()).isTrue();
    order.startFill();
    assertThat(offsets(order.filled(List.of(m(11), m(12))))).containsExactly(11L, 12L);
  }

  @Test
  void aFailedFillIsTriedAgain() {
    MessageOrder order = new MessageOrder(0);
    order.accept(m(3));
    order.startFill();
    order.fillFailed();
    assertThat(order.needsFill()).isTrue();
  }

  @Test
  void offsetsTheJournalNoLongerHasAreSkipped() {
    MessageOrder order = new MessageOrder(0);
    order.head(100);
    order.startFill();
    assertThat(offsets(order.filled(List.of(m(90), m(91))))).containsExactly(90L, 91L);
    assertThat(order.last()).isEqualTo(91);
  }

  @Test
  void waitingMessagesAreBounded() {
    MessageOrder order = new MessageOrder(0);
    LongStream.rangeClosed(2, MessageOrder.MAX_WAITING + 100).forEach(o -> order.accept(m(o)));
    order.startFill();
    // The read brings only 1; what no longer fit waiting needs another read.
    List<RoomMessage> out = order.filled(List.of(m(1)));
    assertThat(out).hasSize(MessageOrder.MAX_WAITING + 1);
    assertThat(order.needsFill()).isTrue();
    assertThat(order.target()).isEqualTo(MessageOrder.MAX_WAITING + 100);
  }
}
