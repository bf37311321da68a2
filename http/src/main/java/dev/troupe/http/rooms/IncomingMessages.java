package dev.troupe.http.rooms;

import dev.troupe.cluster.StageFailures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads whole incoming WebSocket messages under a size limit Troupe enforces itself (Pekko HTTP
 * has none for WebSocket messages): a text message up to {@code maxBytes} UTF-8 bytes becomes its
 * text; a larger one, strict or streamed, is cut off as soon as its characters pass the limit (a
 * character is at least one byte). Binary messages are drained, never kept. The stage never fails.
 */
final class IncomingMessages {

  /** What one incoming message turned out to be. */
  sealed interface Incoming {}

  /** A text message within the limit. */
  record Text(String text) implements Incoming {}

  /** A message (text or binary) over the limit. */
  record TooLarge() implements Incoming {}

  /** A binary message (drained). */
  record Binary() implements Incoming {}

  /** The message could not be read: the connection is going away. */
  record Gone() implements Incoming {}

  private static final CompletionStage<Incoming> TOO_LARGE = CompletableFuture.completedFuture(new TooLarge());
  private static final CompletionStage<Incoming> BINARY = CompletableFuture.completedFuture(new Binary());

  private final long maxBytes;

  IncomingMessages(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  long maxBytes() {
    return maxBytes;
  }

  CompletionStage<Incoming> read(Message message, Materializer materializer) {
    if (message.isText()) {
      return text(message.asTextMessage(), materializer);
    }
    return binary(message.asBinaryMessage(), materializer);
  }

  private CompletionStage<Incoming> text(TextMessage message, Materializer materializer) {
    if (message.isStrict()) {
      return CompletableFuture.completedFuture(checked(message.getStrictText()));
    }
    return message
        .getStreamedText()
        .limitWeighted(maxBytes, part -> (long) part.length())
        .runFold(new StringBuilder(), StringBuilder::append, materializer)
        .handle((text, failure) -> failure == null ? checked(text) : failed(failure));
  }

  private CompletionStage<Incoming> binary(BinaryMessage message, Materializer materializer) {
    if (message.isStrict()) {
      return message.getStrictData().size() > maxBytes ? TOO_LARGE : BINARY;
    }
    return message
        .getStreamedData()
        .limitWeighted(maxBytes, part -> (long) part.size())
        .runWith(Sink.ignore(), materializer)
        .handle((done, failure) -> failure == null ? new Binary() : failed(failure));
  }

  private Incoming checked(CharSequence text) {
    if (text.length() > maxBytes || Utf8.length(text) > maxBytes) {
      return new TooLarge();
    }
    return new Text(text.toString());
  }

  private static Incoming failed(Throwable failure) {
    return StageFailures.unwrap(failure) instanceof StreamLimitReachedException ? new TooLarge() : new Gone();
  }
}
