package dev.troupe.http.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a Server-Sent Events response on a background thread, so a test can wait for the next
 * event with a bounded timeout instead of blocking on the socket. Heartbeats (comment lines and
 * events with neither id, type nor data) are counted, not returned; the raw text is kept for assertions about everything the
 * stream carried.
 */
public final class SseReader implements AutoCloseable {

  /** One event as sent: id, event type and data (lines joined with '\n'). */
  public record Event(String id, String event, String data) {}

  private final HttpResponse<InputStream> response;
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final StringBuffer raw = new StringBuffer();
  private final AtomicInteger heartbeats = new AtomicInteger();
  private final Thread reader;

  private static final Object END = new Object();

  private SseReader(HttpResponse<InputStream> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-reader");
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** {@code GET} with {@code Accept: text/event-stream} and the given header name/value pairs. */
  public static SseReader get(TestHttp http, String pathAndQuery, String... headers) {
    return open(http, http.request(pathAndQuery, acceptingEvents(headers)).GET().build());
  }

  /** {@code Accept: text/event-stream} followed by the given header name/value pairs. */
  public static String[] acceptingEvents(String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Accept";
    all[1] = "text/event-stream";
    System.arraycopy(headers, 0, all, 2, headers.length);
    return all;
  }

  /** Sends the request and starts reading once the response headers arrive. */
  public static SseReader open(TestHttp http, HttpRequest request) {
    try {
      return new SseReader(http.client().send(request, HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new IllegalStateException(request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public int status() {
    return response.statusCode();
  }

  public String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** How many heartbeats (comment lines or events without id, type and data) arrived so far. */
  public int heartbeats() {
    return heartbeats.get();
  }

  /** Whether the server ended the stream (every event before the end was delivered). */
  public boolean ended() {
    return events.contains(END);
  }

  /** Everything received so far, as text. */
  public String raw() {
    return raw.toString();
  }

  /** The next event, failing when none arrives within the timeout or the stream ended. */
  public Event next(Duration timeout) throws InterruptedException {
    Object item = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (item == null) {
      throw new AssertionError("no SSE event within " + timeout + "; received so far: " + raw());
    }
    if (item == END) {
      events.offer(END);
      throw new AssertionError("the SSE stream ended; received: " + raw());
    }
    if (item instanceof Throwable error) {
      throw new AssertionError("reading the SSE stream failed", error);
    }
    return (Event) item;
  }

  /** The next {@code count} events. */
  public List<Event> next(int count, Duration timeoutEach) throws InterruptedException {
    List<Event> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      result.add(next(timeoutEach));
    }
    return result;
  }

  private void read() {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = null;
      String line;
      while ((line = lines.readLine()) != null) {
        raw.append(line).append('\n');
        if (line.isEmpty()) {
          boolean heartbeat = id == null && event == null && (data == null || data.length() == 0);
          if (data != null && !heartbeat) {
            events.add(new Event(id, event, data.toString()));
          } else if (heartbeat && data != null) {
            heartbeats.incrementAndGet();
          }
          id = null;
          event = null;
          data = null;
          continue;
        }
        if (line.startsWith(":")) {
          heartbeats.incrementAndGet();
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
          value = value.substring(1);
        }
        switch (field) {
          case "id" -> id = value;
          case "event" -> event = value;
          case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> {}
        }
      }
      events.add(END);
    } catch (IOException e) {
      events.add(e);
    }
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // closing cancels the stream; nothing more to do
    }
    reader.interrupt();
  }
}
