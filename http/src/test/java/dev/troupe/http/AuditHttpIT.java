package dev.troupe.http;

import static dev.troupe.http.ItSupport.assertProblem;
import static dev.troupe.http.ItSupport.fieldNames;
import static dev.troupe.http.ItSupport.seqs;
import static dev.troupe.http.ItSupport.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.SseReader;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit contract over real HTTP against an in-JVM node on the embedded H2 journal: pages,
 * paging, bounds, bad parameters, SSE (replay, live follow, resume), NDJSON, state rebuilds,
 * redaction, and 410 once retention removed events.
 */
class AuditHttpIT {

  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(15);
  private static final List<String> TYPES =
      List.of("Deposited", "Withdrawn", "PinSet", "Deposited", "Withdrawn");

  @TempDir static Path dataDir;

  private static NodeRuntime node;
  private static TestHttp http;

  /**
   * The history every test writes for its own ledger: deposit 100, withdraw 30, set the PIN, deposit
   * 50, withdraw 20. Each write sends its own {@code X-Request-Id}.
   */
  record History(String id, List<String> requestIds, String pinHash) {}

  @BeforeAll
  static void startNode() throws Exception {
    // Short heartbeats so a test sees one without waiting the default 15 s.
    node = TestNodes.h2(dataDir, ConfigFactory.parseString("troupe.streams.heartbeat-interval = 1s"));
    http = new TestHttp(node.httpPort()).asAdmin();
    ItSupport.awaitReady(http);
  }

  @AfterAll
  static void stopNode() throws Exception {
    ItSupport.stop(node);
  }

  @Test
  void eventsPageListsEveryEventInSeqOrderWithItsAuditMetadata() {
    History history = writeHistory("order");
    String expectedNode = selfAddress().substring("pekko://".length());

    TestHttp.Response response = http.get(eventsPath(history.id(), ""));

    assertThat(response.status()).as("%s", response).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    JsonNode page = response.json();
    assertThat(fieldNames(page)).containsExactlyInAnyOrder("events", "next");
    assertThat(page.get("next").isNull()).isTrue();
    JsonNode events = page.get("events");
    assertThat(seqs(events)).containsExactly(1L, 2L, 3L, 4L, 5L);
    List<Long> amounts = List.of(100L, 30L, -1L, 50L, 20L);
    Instant previous = Instant.MIN;
    for (int i = 0; i < events.size(); i++) {
      JsonNode event = events.get(i);
      assertThat(fieldNames(event))
          .containsExactlyInAnyOrder("seq", "type", "timestamp", "payload", "meta");
      assertThat(event.get("type").asText()).isEqualTo(TYPES.get(i));
      Instant timestamp = isoInstant(event.get("timestamp").asText());
      assertThat(timestamp).isAfterOrEqualTo(previous);
      previous = timestamp;
      JsonNode meta = event.get("meta");
      assertThat(fieldNames(meta))
          .containsExactlyInAnyOrder("principal", "tenant", "requestId", "node");
      assertThat(meta.get("principal").asText()).isEqualTo(TestNodes.ADMIN_USER);
      assertThat(meta.get("tenant").asText()).isEqualTo("system");
      assertThat(meta.get("requestId").asText()).isEqualTo(history.requestIds().get(i));
      assertThat(meta.get("node").asText()).isEqualTo(expectedNode);
      JsonNode payload = event.get("payload");
      assertThat(payload.has("audit")).as("payload %s", payload).isFalse();
      if (amounts.get(i) >= 0) {
        assertThat(payload.get("amount").asLong()).isEqualTo(amounts.get(i));
      } else {
        assertThat(payload.get("pinHash").asText()).isEqualTo("[redacted]");
      }
    }
  }

  @Test
  void limitPagesThroughTheHistoryByFollowingNext() {
    History history = writeHistory("paging");

    JsonNode first = okJson(eventsPath(history.id(), "limit=2"));
    assertThat(seqs(first.get("events"))).containsExactly(1L, 2L);
    assertThat(first.get("next").asLong()).isEqualTo(3L);

    JsonNode second = okJson(eventsPath(history.id(), "limit=2&fromSeq=" + first.get("next").asLong()));
    assertThat(seqs(second.get("events"))).containsExactly(3L, 4L);
    assertThat(second.get("next").asLong()).isEqualTo(5L);

    JsonNode last = okJson(eventsPath(history.id(), "limit=2&fromSeq=" + second.get("next").asLong()));
    assertThat(seqs(last.get("events"))).containsExactly(5L);
    assertThat(last.has("next")).isTrue();
    assertThat(last.get("next").isNull()).isTrue();
  }

  @Test
  void fromSeqAndToSeqAreInclusive() {
    History history = writeHistory("seq-bounds");

    assertThat(seqs(okJson(eventsPath(history.id(), "fromSeq=2&toSeq=4")).get("events")))
        .containsExactly(2L, 3L, 4L);
    assertThat(seqs(okJson(eventsPath(history.id(), "fromSeq=3&toSeq=3")).get("events")))
        .containsExactly(3L);
    assertThat(seqs(okJson(eventsPath(history.id(), "toSeq=2")).get("events")))
        .containsExactly(1L, 2L);
    JsonNode bounded = okJson(eventsPath(history.id(), "fromSeq=2&toSeq=3&limit=1"));
    assertThat(seqs(bounded.get("events"))).containsExactly(2L);
    assertThat(bounded.get("next").asLong()).isEqualTo(3L);
  }

  @Test
  void fromTimeAndToTimeFilterByEventTimestampsInclusively() {
    History history = writeHistory("time-bounds");
    JsonNode events = okJson(eventsPath(history.id(), "")).get("events");
    List<String> times = new ArrayList<>();
    events.forEach(e -> times.add(e.get("timestamp").asText()));

    assertThat(
            seqs(
                okJson(eventsPath(history.id(), "fromTime=" + enc(times.get(1)) + "&toTime=" + enc(times.get(3))))
                    .get("events")))
        .containsExactly(2L, 3L, 4L);
    assertThat(seqs(okJson(eventsPath(history.id(), "fromTime=" + enc(times.get(3)))).get("events")))
        .containsExactly(4L, 5L);
    assertThat(seqs(okJson(eventsPath(history.id(), "toTime=" + enc(times.get(0)))).get("events")))
        .containsExactly(1L);
    Instant afterLast = isoInstant(times.get(4)).plusSeconds(3600);
    assertThat(okJson(eventsPath(history.id(), "fromTime=" + enc(afterLast.toString()))).get("events"))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "limit=1001",
        "limit=0",
        "limit=ten",
        "fromSeq=abc",
        "fromSeq=0",
        "fromSeq=3&toSeq=2",
        "fromTime=yesterday",
        "toTime=2026-13-01T00:00:00Z",
        "colour=blue"
      })
  void badEventQueryParametersAnswer400InvalidParameter(String query) {
    String id = uniqueId("bad-params");
    writeDeposit(id, 5, requestId("bad-params"));

    TestHttp.Response response = http.get(eventsPath(id, query), "X-Request-Id", "bad-params-req");

    JsonNode problem = assertProblem(response, 400, "invalid_parameter");
    assertThat(problem.get("requestId").asText()).isEqualTo("bad-params-req");
  }

  @Test
  void unknownEntityTypeAnswers404NotFound() {
    assertProblem(http.get("/audit/no-such-type/" + uniqueId("x") + "/events"), 404, "not_found");
    assertProblem(http.get("/audit/no-such-type/" + uniqueId("x") + "/state"), 404, "not_found");
  }

  @Test
  void idWithoutEventsAnswersAnEmptyPage() {
    TestHttp.Response response = http.get(eventsPath(uniqueId("never-written"), ""));

    assertThat(response.status()).isEqualTo(200);
    JsonNode page = response.json();
    assertThat(page.get("events").isArray()).isTrue();
    assertThat(page.get("events")).isEmpty();
    assertThat(page.has("next")).isTrue();
    assertThat(page.get("next").isNull()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"too-long", "a%7Cb", "a%3Ab", "a%20b"})
  void invalidEntityIdAnswers400(String kind) {
    String id = kind.equals("too-long") ? "x".repeat(200) : kind;

    assertProblem(http.get("/audit/ledger/" + id + "/events"), 400, "invalid_parameter");
    assertProblem(http.get("/audit/ledger/" + id + "/state"), 400, "invalid_parameter");
  }

  @Test
  void sseStreamsExistingEventsThenFollowsANewOneLive() throws Exception {
    History history = writeHistory("sse");
    JsonNode page = okJson(eventsPath(history.id(), "")).get("events");

    try (SseReader sse =
        SseReader.open(
            http,
            http.request(eventsPath(history.id(), ""), "Accept", "text/event-stream").GET().build())) {
      assertThat(sse.status()).isEqualTo(200);
      assertThat(sse.contentType()).startsWith("text/event-stream");

      List<SseReader.Event> replayed = sse.next(5, EVENT_TIMEOUT);
      for (int i = 0; i < 5; i++) {
        SseReader.Event event = replayed.get(i);
        assertThat(event.id()).isEqualTo(Long.toString(i + 1));
        assertThat(event.event()).isEqualTo(TYPES.get(i));
        assertThat(TestHttp.JSON.readTree(event.data())).isEqualTo(page.get(i));
      }

      String liveRequestId = requestId("sse-live");
      writeDeposit(history.id(), 7, liveRequestId);

      SseReader.Event live = sse.next(EVENT_TIMEOUT);
      assertThat(live.id()).isEqualTo("6");
      assertThat(live.event()).isEqualTo("Deposited");
      JsonNode data = TestHttp.JSON.readTree(live.data());
      assertThat(data.get("seq").asLong()).isEqualTo(6L);
      assertThat(data.get("payload").get("amount").asLong()).isEqualTo(7L);
      assertThat(data.get("meta").get("requestId").asText()).isEqualTo(liveRequestId);
      assertThat(data).isEqualTo(okJson(eventsPath(history.id(), "fromSeq=6")).get("events").get(0));
    }
  }

  @Test
  void sseResumesAfterTheLastEventId() throws Exception {
    History history = writeHistory("sse-resume");

    try (SseReader sse =
        SseReader.open(
            http,
            http.request(
                    eventsPath(history.id(), ""), "Accept", "text/event-stream", "Last-Event-ID", "2")
                .GET()
                .build())) {
      assertThat(sse.status()).isEqualTo(200);
      List<SseReader.Event> events = sse.next(3, EVENT_TIMEOUT);
      assertThat(events).extracting(SseReader.Event::id).containsExactly("3", "4", "5");
      assertThat(events).extracting(SseReader.Event::event).containsExactly("PinSet", "Deposited", "Withdrawn");
    }
  }

  @Test
  void sseSendsHeartbeatsWhileNoEventArrives() throws Exception {
    String id = uniqueId("sse-heartbeat");
    writeDeposit(id, 1, requestId("sse-heartbeat"));

    try (SseReader sse =
        SseReader.open(http, http.request(eventsPath(id, ""), "Accept", "text/event-stream").GET().build())) {
      assertThat(sse.next(EVENT_TIMEOUT).id()).isEqualTo("1");
      await().atMost(Duration.ofSeconds(10)).until(() -> sse.heartbeats() >= 2);
      assertThat(sse.ended()).isFalse();
    }
  }

  @Test
  void sseOverABoundedRangeEndsAfterToSeq() throws Exception {
    History history = writeHistory("sse-bounded");

    try (SseReader sse =
        SseReader.open(
            http,
            http.request(eventsPath(history.id(), "fromSeq=2&toSeq=3"), "Accept", "text/event-stream")
                .GET()
                .build())) {
      assertThat(sse.next(2, EVENT_TIMEOUT)).extracting(SseReader.Event::id).containsExactly("2", "3");
      await().atMost(EVENT_TIMEOUT).until(sse::ended);
    }
  }

  @Test
  void sseResumedAtTheEndOfABoundedRangeSendsNoEventAgain() throws Exception {
    History history = writeHistory("sse-resume-end");

    for (String lastSeen : List.of("3", "5")) {
      try (SseReader sse =
          SseReader.open(
              http,
              http.request(
                      eventsPath(history.id(), "toSeq=3"),
                      "Accept",
                      "text/event-stream",
                      "Last-Event-ID",
                      lastSeen)
                  .GET()
                  .build())) {
        assertThat(sse.status()).isEqualTo(200);
        await().atMost(EVENT_TIMEOUT).until(sse::ended);
        assertThat(sse.raw()).as("after Last-Event-ID %s", lastSeen).doesNotContain("id:");
      }
    }
  }

  @Test
  void ndjsonStreamsOneEventPerLineAndCompletes() throws Exception {
    History history = writeHistory("ndjson");
    JsonNode page = okJson(eventsPath(history.id(), "")).get("events");

    TestHttp.Response response =
        http.get(eventsPath(history.id(), ""), "Accept", "application/x-ndjson");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/x-ndjson");
    List<String> lines = response.body().lines().filter(line -> !line.isBlank()).toList();
    assertThat(lines).hasSize(5);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(TestHttp.JSON.readTree(lines.get(i))).isEqualTo(page.get(i));
    }
    assertThat(response.body()).endsWith("\n");

    TestHttp.Response bounded =
        http.get(eventsPath(history.id(), "fromSeq=2&toSeq=3"), "Accept", "application/x-ndjson");
    assertThat(bounded.body().lines().filter(line -> !line.isBlank()).toList())
        .extracting(line -> TestHttp.JSON.readTree(line).get("seq").asLong())
        .containsExactly(2L, 3L);
  }

  @Test
  void stateAtSeqFoldsTheEventsUpToThatSeq() {
    History history = writeHistory("state-seq");

    JsonNode at2 = okJson(statePath(history.id(), "atSeq=2"));

    assertThat(fieldNames(at2)).containsExactlyInAnyOrder("seq", "state");
    assertThat(at2.get("seq").asLong()).isEqualTo(2L);
    assertThat(at2.get("state").get("balance").asLong()).isEqualTo(70L);
    assertThat(at2.get("state").get("entries").asLong()).isEqualTo(2L);
    assertThat(at2.get("state").get("pinHash").asText()).isEqualTo("[redacted]");
  }

  @Test
  void stateAtTimeFoldsTheEventsUpToThatInstant() {
    History history = writeHistory("state-time");
    String firstTimestamp = okJson(eventsPath(history.id(), "")).get("events").get(0).get("timestamp").asText();

    JsonNode atFirst = okJson(statePath(history.id(), "atTime=" + enc(firstTimestamp)));

    assertThat(atFirst.get("seq").asLong()).isEqualTo(1L);
    assertThat(atFirst.get("state").get("balance").asLong()).isEqualTo(100L);
    assertThat(atFirst.get("state").get("entries").asLong()).isEqualTo(1L);
  }

  @Test
  void stateWithoutAPointIsTheLatest() {
    History history = writeHistory("state-latest");

    JsonNode latest = okJson(statePath(history.id(), ""));

    assertThat(latest.get("seq").asLong()).isEqualTo(5L);
    assertThat(latest.get("state").get("balance").asLong()).isEqualTo(100L);
    assertThat(latest.get("state").get("entries").asLong()).isEqualTo(4L);
    assertThat(latest.get("state").get("pinHash").asText()).isEqualTo("[redacted]");
  }

  @Test
  void stateWithBothAtSeqAndAtTimeAnswers400() {
    History history = writeHistory("state-both");

    assertProblem(
        http.get(statePath(history.id(), "atSeq=2&atTime=" + enc(Instant.now().toString()))),
        400,
        "invalid_parameter");
    assertProblem(http.get(statePath(history.id(), "atSeq=two")), 400, "invalid_parameter");
    assertProblem(http.get(statePath(history.id(), "atTime=now")), 400, "invalid_parameter");
    assertProblem(http.get(statePath(history.id(), "fromSeq=1")), 400, "invalid_parameter");
  }

  @Test
  void pinHashNeverLeavesThroughAnyAuditResponse() throws Exception {
    History history = writeHistory("redaction");
    List<String> bodies = new ArrayList<>();

    TestHttp.Response page = http.get(eventsPath(history.id(), ""));
    assertThat(page.status()).isEqualTo(200);
    bodies.add(page.body());
    JsonNode pinSet = page.json().get("events").get(2);
    assertThat(pinSet.get("type").asText()).isEqualTo("PinSet");
    assertThat(pinSet.get("payload").get("pinHash").asText()).isEqualTo("[redacted]");

    TestHttp.Response ndjson = http.get(eventsPath(history.id(), ""), "Accept", "application/x-ndjson");
    assertThat(ndjson.status()).isEqualTo(200);
    bodies.add(ndjson.body());

    try (SseReader sse =
        SseReader.open(
            http,
            http.request(eventsPath(history.id(), ""), "Accept", "text/event-stream").GET().build())) {
      List<SseReader.Event> events = sse.next(5, EVENT_TIMEOUT);
      assertThat(TestHttp.JSON.readTree(events.get(2).data()).get("payload").get("pinHash").asText())
          .isEqualTo("[redacted]");
      bodies.add(sse.raw());
    }

    for (String query : List.of("", "atSeq=2", "atSeq=3", "atSeq=5")) {
      TestHttp.Response state = http.get(statePath(history.id(), query));
      assertThat(state.status()).isEqualTo(200);
      assertThat(state.json().get("state").get("pinHash").asText()).isEqualTo("[redacted]");
      bodies.add(state.body());
    }

    assertThat(bodies).hasSize(7).allSatisfy(body -> assertThat(body).doesNotContain(history.pinHash()));
  }

  @Test
  void eventsRemovedByRetentionAnswer410HistoryTrimmed(@TempDir Path retentionDir) throws Exception {
    NodeRuntime trimming =
        TestNodes.h2(
            retentionDir,
            ConfigFactory.parseString(
                "troupe.entities.types.ledger { snapshot-every = 3, keep-snapshots = 1, delete-events-on-snapshot = on }\n"
                    // two clusters in this JVM at once: let both register their JMX bean
                    + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on"));
    try {
      TestHttp trimmingHttp = new TestHttp(trimming.httpPort()).asAdmin();
      ItSupport.awaitReady(trimmingHttp);
      String id = uniqueId("retention");
      for (int i = 1; i <= 10; i++) {
        TestHttp.Response deposit =
            trimmingHttp.postJson(
                "/ledgers/" + id + "/deposits", "{\"amount\":" + i + "}", "X-Request-Id", requestId("retention"));
        assertThat(deposit.status()).as("%s", deposit).isEqualTo(200);
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> trimmingHttp.get(eventsPath(id, "fromSeq=1")).status() == 410);

      TestHttp.Response gone = trimmingHttp.get(eventsPath(id, "fromSeq=1"));
      JsonNode problem = assertProblem(gone, 410, "history_trimmed");
      assertThat(problem.get("firstAvailableSeq").isIntegralNumber())
          .as("numeric firstAvailableSeq in %s", problem)
          .isTrue();
      long firstAvailable = problem.get("firstAvailableSeq").asLong();
      assertThat(firstAvailable).isGreaterThan(1L);
      assertProblem(trimmingHttp.get(eventsPath(id, "")), 410, "history_trimmed");

      TestHttp.Response kept = trimmingHttp.get(eventsPath(id, "fromSeq=" + firstAvailable));
      assertThat(kept.status()).as("%s", kept).isEqualTo(200);
      List<Long> keptSeqs = seqs(kept.json().get("events"));
      assertThat(keptSeqs).isNotEmpty().startsWith(firstAvailable).endsWith(10L);
    } finally {
      ItSupport.stop(trimming);
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static History writeHistory(String prefix) {
    String id = uniqueId(prefix);
    String pinHash = "pinhash-" + UUID.randomUUID();
    List<String> requestIds = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      requestIds.add(requestId(prefix + "-" + i));
    }
    writeDeposit(id, 100, requestIds.get(0));
    expectOk(http.postJson("/ledgers/" + id + "/withdrawals", "{\"amount\":30}", "X-Request-Id", requestIds.get(1)));
    expectOk(
        http.putJson(
            "/ledgers/" + id + "/pin", "{\"pinHash\":\"" + pinHash + "\"}", "X-Request-Id", requestIds.get(2)));
    writeDeposit(id, 50, requestIds.get(3));
    expectOk(http.postJson("/ledgers/" + id + "/withdrawals", "{\"amount\":20}", "X-Request-Id", requestIds.get(4)));
    return new History(id, requestIds, pinHash);
  }

  private static void writeDeposit(String id, long amount, String requestId) {
    expectOk(
        http.postJson("/ledgers/" + id + "/deposits", "{\"amount\":" + amount + "}", "X-Request-Id", requestId));
  }

  private static void expectOk(TestHttp.Response response) {
    assertThat(response.status()).as("%s", response).isEqualTo(200);
  }

  private static JsonNode okJson(String path) {
    TestHttp.Response response = http.get(path);
    assertThat(response.status()).as("GET %s: %s", path, response).isEqualTo(200);
    return response.json();
  }

  private static String selfAddress() {
    return okJson("/cluster").get("self").asText();
  }

  private static String requestId(String prefix) {
    return "req-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static String eventsPath(String id, String query) {
    return "/audit/ledger/" + id + "/events" + (query.isEmpty() ? "" : "?" + query);
  }

  private static String statePath(String id, String query) {
    return "/audit/ledger/" + id + "/state" + (query.isEmpty() ? "" : "?" + query);
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Instant isoInstant(String text) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from);
  }
}
