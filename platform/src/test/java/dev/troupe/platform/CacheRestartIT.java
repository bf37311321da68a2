package dev.troupe.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A single node on the embedded H2 journal, restarted on the same data dir ({@code ./troupe start}
 * twice): cache entries come back with their body, content type and ETag, and their TTL is an
 * absolute time that holds across the restart, for entries that are read (expired on read) and for
 * one nobody reads (expired by the sweeper, with no bucket awake after the restart). Every expiry
 * is an {@code Expired} event in audit.
 */
class CacheRestartIT {

  private static final String NAMESPACE = "restart";
  /** Short, so the sweeper's part is seen within this test (the default is 30 s). */
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(2);
  /**
   * How far the node's clock reading may lie before the request was sent: a store time kept in
   * whole milliseconds may round down by up to one.
   */
  private static final Duration CLOCK_GRAIN = Duration.ofMillis(5);

  private static final Duration SHORT_TTL = Duration.ofSeconds(10);
  // Long enough that a restart on a loaded 2-core machine (seen up to 18 s) ends well inside it.
  private static final Duration MEDIUM_TTL = Duration.ofSeconds(45);
  private static final Duration UNREAD_TTL = Duration.ofSeconds(15);

  private final List<NodeProcess> started = new ArrayList<>();

  /** A put, with the window its node stored it in (between sending and the 204). */
  private record Written(String key, String body, Duration ttl, CacheHttp.Reply put) {
    /** The earliest instant the entry may expire at: its store time is not before the request. */
    Instant earliestExpiry() {
      return put.sentAt().plus(ttl).minus(CLOCK_GRAIN);
    }

    /** The latest instant the entry may still be answered at. */
    Instant latestExpiry() {
      return put.receivedAt().plus(ttl);
    }

    int bucket() {
      return CacheHttp.bucketOf(key);
    }
  }

  @AfterEach
  void stopNodes() {
    started.forEach(NodeProcess::close);
  }

  @Test
  void entriesSurviveARestartAndExpireAtTheirAbsoluteTime() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path dataDir = NodeProcess.targetDir().resolve("cache-restart-" + run).resolve("data");
    List<String> jvmOptions = new ArrayList<>(NodeProcess.defaultJvmOptions());
    jvmOptions.add("-Dtroupe.cache.sweep-interval=" + SWEEP_INTERVAL.toMillis() + "ms");
    NodeProcess.Spec spec =
        new NodeProcess.Spec(
            "cache-restart",
            NodeProcess.Ports.free(),
            List.of("--data-dir", dataDir.toString()),
            jvmOptions,
            NodeProcess.targetDir());
    NodeProcess first = startReady(spec);
    CacheHttp http = CacheHttp.asAdmin(first);

    // One bucket per key: reading one key must not wake another key's bucket.
    List<String> keys = inDistinctBuckets(List.of("keep-" + run, "short-" + run, "medium-" + run, "unread-" + run));

    // Written twice: the last acknowledged version is the one that must come back.
    CacheHttp.Reply keepV1 = http.put(first, NAMESPACE, keys.get(0), "ttl=1h", "kept v1 " + run, "text/plain");
    assertThat(keepV1.status()).as(keepV1.toString()).isEqualTo(204);
    String keepBody = "kept v2 " + run + " \u2713";
    CacheHttp.Reply keepV2 =
        http.put(first, NAMESPACE, keys.get(0), "ttl=1h&tags=restart", keepBody, "text/plain; charset=UTF-8");
    assertThat(keepV2.status()).as(keepV2.toString()).isEqualTo(204);
    assertThat(keepV2.etag()).startsWith("\"").endsWith("\"").isNotEqualTo(keepV1.etag());

    Written shortLived = write(http, first, keys.get(1), SHORT_TTL, run);
    Written mediumLived = write(http, first, keys.get(2), MEDIUM_TTL, run);
    Written unread = write(http, first, keys.get(3), UNREAD_TTL, run);
    List<CacheHttp.Reply> shortReplies = new ArrayList<>();
    CacheHttp.Reply before = http.get(first, NAMESPACE, shortLived.key());
    shortReplies.add(before);
    assertConsistent(shortLived, before);
    assertThat(before.status()).as("read right after the write").isEqualTo(200);

    Instant sigtermAt = first.sigterm();
    assertThat(first.awaitExit(Duration.ofSeconds(30))).as(first.logTail()).isEqualTo(NodeProcess.SIGTERM_EXIT_CODE);
    NodeProcess second = startReady(spec.withPorts(NodeProcess.Ports.free()));
    Instant readyAt = Instant.now();
    long restartMillis = Duration.between(sigtermAt, readyAt).toMillis();
    // A new process: the token was signed by keys the node keeps in its journal, but log in again
    // so this test does not depend on that.
    http = CacheHttp.asAdmin(second);

    // The long-lived entry: same body, content type and ETag, and its age counts from the write.
    CacheHttp.Reply kept = http.get(second, NAMESPACE, keys.get(0));
    assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
    assertThat(kept.body()).isEqualTo(keepBody);
    assertThat(kept.etag()).isEqualTo(keepV2.etag());
    assertThat(kept.header("Content-Type").orElse("")).startsWith("text/plain");
    long minAge = Duration.between(keepV2.receivedAt(), kept.sentAt()).toSeconds();
    assertThat(Long.parseLong(kept.header("Age").orElse("-1")))
        .as("Age after the restart")
        .isGreaterThanOrEqualTo(minAge);
    CacheHttp.Reply notModified = http.get(second, NAMESPACE, keys.get(0), Map.of("If-None-Match", keepV2.etag()));
    assertThat(notModified.status()).as(notModified.toString()).isEqualTo(304);
    // A key never written is absent, not an error.
    CacheHttp.Reply never = http.get(second, NAMESPACE, "never-written-" + run);
    assertThat(never.status()).as(never.toString()).isEqualTo(404);

    // The short entry: answered (if the restart was quick enough to see it) until 10 s after its
    // write, absent from then on.
    shortReplies.addAll(observeUntilGone(http, second, shortLived));
    boolean shortSeenAfterRestart =
        shortReplies.stream().anyMatch(r -> r.status() == 200 && r.sentAt().isAfter(readyAt));
    // The medium entry proves the same with the restart well inside its lifetime.
    List<CacheHttp.Reply> mediumReplies = observeUntilGone(http, second, mediumLived);
    assertThat(mediumReplies)
        .as("the 45 s entry is answered after the restart (restart took %d ms)", restartMillis)
        .anyMatch(r -> r.status() == 200 && r.sentAt().isAfter(readyAt));

    // Nobody reads the unread entry after the restart: the sweeper expires it, on time.
    AtomicReference<JsonNode> sweptEvent = new AtomicReference<>();
    CacheHttp reader = http;
    Instant sweepDeadline =
        later(unread.latestExpiry(), readyAt).plus(SWEEP_INTERVAL.multipliedBy(2)).plusSeconds(15);
    await("an Expired event for " + unread.key() + " in audit")
        // The event may be there already (the longer-lived entry was observed first).
        .atMost(atLeast(Duration.between(Instant.now(), sweepDeadline).plusSeconds(1), Duration.ofSeconds(5)))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              expiredEvent(reader, second, unread).ifPresent(sweptEvent::set);
              return sweptEvent.get() != null;
            });
    Instant sweptAt = Instant.parse(sweptEvent.get().path("timestamp").asText());
    assertThat(sweptAt).as("expired by the sweeper, not before its time").isAfterOrEqualTo(unread.earliestExpiry());
    CacheHttp.Reply unreadAfter = http.get(second, NAMESPACE, unread.key());
    assertThat(unreadAfter.status()).as(unreadAfter.toString()).isEqualTo(404);

    // Expiry on read (or by a sweep) of the short entry is audited too.
    Optional<JsonNode> shortExpired = expiredEvent(http, second, shortLived);
    assertThat(shortExpired).as("Expired event for %s", shortLived.key()).isPresent();
    assertThat(Instant.parse(shortExpired.get().path("timestamp").asText()))
        .isAfterOrEqualTo(shortLived.earliestExpiry());

    CacheHttp.Reply stats = http.getPath(second, "/cache/" + NAMESPACE + "/stats");
    assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
    assertThat(stats.json().path("entries").asLong()).as(stats.body()).isEqualTo(1);
    assertThat(stats.json().path("expirations").asLong()).as(stats.body()).isEqualTo(3);
    assertThat(stats.json().path("bytes").asLong()).as(stats.body()).isPositive();
    // The entry written before the restart is still there after all of that.
    assertThat(http.get(second, NAMESPACE, keys.get(0)).etag()).isEqualTo(keepV2.etag());

    String report =
        String.format(
            "%s cache restart: restart (SIGTERM to ready) %d ms; short (ttl %ds) answered after restart: %s, first 404"
                + " %d ms after its write; medium (ttl %ds) first 404 %d ms after its write; unread (ttl %ds)"
                + " swept %d ms after its write by %s",
            Instant.now(), restartMillis, SHORT_TTL.toSeconds(), shortSeenAfterRestart,
            firstGoneAfterWrite(shortLived, shortReplies), MEDIUM_TTL.toSeconds(),
            firstGoneAfterWrite(mediumLived, mediumReplies), UNREAD_TTL.toSeconds(),
            Duration.between(unread.put().sentAt(), sweptAt).toMillis(), sweptEvent.get().path("meta"));
    System.out.println("CACHE-RESTART " + report);
    Files.writeString(
        NodeProcess.targetDir().resolve("cache-restart-results.txt"),
        report + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private NodeProcess startReady(NodeProcess.Spec spec) {
    NodeProcess node = NodeProcess.start(spec);
    started.add(node);
    return node.awaitReady(Duration.ofSeconds(90));
  }

  private static Written write(CacheHttp http, NodeProcess node, String key, Duration ttl, String run)
      throws Exception {
    String body = "{\"key\":\"" + key + "\",\"run\":\"" + run + "\"}";
    CacheHttp.Reply put = http.put(node, NAMESPACE, key, "ttl=" + ttl.toSeconds() + "s", body, "application/json");
    assertThat(put.status()).as(put.toString()).isEqualTo(204);
    assertThat(put.etag()).isNotEmpty();
    return new Written(key, body, ttl, put);
  }

  /**
   * Reads the key every 100 ms until it is absent; every answer must fit its expiry window: a 200
   * only for a read sent before the latest possible expiry (with the written body), a 404 only for
   * a read answered after the earliest possible one.
   */
  private static List<CacheHttp.Reply> observeUntilGone(CacheHttp http, NodeProcess node, Written written) {
    List<CacheHttp.Reply> replies = new ArrayList<>();
    Duration atMost = Duration.between(Instant.now(), written.latestExpiry()).plusSeconds(10);
    await(written.key() + " gone")
        .atMost(atMost.isNegative() ? Duration.ofSeconds(10) : atMost)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              CacheHttp.Reply reply = http.get(node, NAMESPACE, written.key());
              replies.add(reply);
              // An inconsistent answer ends the wait; the assertions below say what was wrong.
              return reply.status() != 200 || !consistent(written, reply);
            });
    replies.forEach(reply -> assertConsistent(written, reply));
    assertThat(replies.get(replies.size() - 1).status()).isEqualTo(404);
    return replies;
  }

  private static boolean consistent(Written written, CacheHttp.Reply reply) {
    return switch (reply.status()) {
      case 200 -> reply.sentAt().isBefore(written.latestExpiry()) && reply.body().equals(written.body());
      case 404 -> !reply.receivedAt().isBefore(written.earliestExpiry());
      default -> false;
    };
  }

  private static void assertConsistent(Written written, CacheHttp.Reply reply) {
    String window =
        String.format(
            "%s written %s..%s with ttl %s; read sent %s, answered %s: %s",
            written.key(), written.put().sentAt(), written.put().receivedAt(), written.ttl(), reply.sentAt(),
            reply.receivedAt(), reply);
    assertThat(reply.status()).as(window).isIn(200, 404);
    assertThat(consistent(written, reply)).as(reply.status() == 200 ? "answered after its expiry: " + window
        : "absent before its expiry: " + window).isTrue();
  }

  /** The {@code Expired} audit event of the key's bucket that names the key, if there is one yet. */
  private static Optional<JsonNode> expiredEvent(CacheHttp http, NodeProcess node, Written written)
      throws Exception {
    String path = "/audit/cache-bucket/" + CacheHttp.bucketId(NAMESPACE, written.bucket()) + "/events?limit=1000";
    CacheHttp.Reply page = http.getPath(node, path);
    assertThat(page.status()).as(page.toString()).isEqualTo(200);
    for (JsonNode event : page.json().path("events")) {
      // The payload lists the expired keys; its exact shape is the bucket's audit view.
      if ("Expired".equals(event.path("type").asText())
          && event.path("payload").toString().contains("\"" + written.key() + "\"")) {
        return Optional.of(event);
      }
    }
    return Optional.empty();
  }

  private static long firstGoneAfterWrite(Written written, List<CacheHttp.Reply> replies) {
    return replies.stream()
        .filter(r -> r.status() == 404)
        .findFirst()
        .map(r -> Duration.between(written.put().sentAt(), r.receivedAt()).toMillis())
        .orElse(-1L);
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** The names, each with a numeric suffix chosen so that no two share a bucket. */
  private static List<String> inDistinctBuckets(List<String> names) {
    Set<Integer> used = new HashSet<>();
    List<String> keys = new ArrayList<>();
    for (String name : names) {
      for (int i = 0; ; i++) {
        String key = name + "-" + i;
        if (used.add(CacheHttp.bucketOf(key))) {
          keys.add(key);
          break;
        }
      }
    }
    return keys;
  }

  private static Duration atLeast(Duration duration, Duration minimum) {
    return duration.compareTo(minimum) < 0 ? minimum : duration;
  }
}
