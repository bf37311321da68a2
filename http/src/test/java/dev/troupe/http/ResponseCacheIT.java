package dev.troupe.http;

import static dev.troupe.http.ItSupport.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.cache.CacheException;
import dev.troupe.http.extension.TroupeExtension;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response-caching directive ({@code RouteSupport.responseCache()}) over real HTTP: a test
 * extension serves {@code /rc/{id}} through it, answering what the query asks for ({@code cc}:
 * its Cache-Control, {@code vary}: its Vary, {@code status}, {@code size}: body length, {@code
 * chunked}: a stream of unknown length, {@code cookie}: a Set-Cookie), and counts how often it ran.
 *
 * <p>The node grants {@code cache.read} (not {@code cache.write}) to {@code org-member}, so the
 * member {@code ann} is a read-only cache user; the cache routes' permissions are tested here
 * for that reason, beside the response cache's reserved namespace.
 */
class ResponseCacheIT {

  /** Largest body the test node's response cache stores. */
  static final int MAX_BODY = 1024;

  @TempDir static Path dataDir;

  /** The response cache's namespace (the default). */
  static final String RESPONSES = "http-responses";

  private static NodeRuntime node;
  private static String org;
  private static TestHttp boss;
  private static TestHttp ann;

  @BeforeAll
  static void startNode() throws Exception {
    node =
        TestNodes.h2(
            dataDir,
            ConfigFactory.parseString(
                """
                troupe.cache.response-cache.max-body-size = %d
                troupe.identity.permissions { "cache.read" = ["org-admin", "org-member"] }
                """
                    .formatted(MAX_BODY)),
            List.of(new Probe()));
    TestHttp anonymous = new TestHttp(node.httpPort());
    ItSupport.awaitReady(anonymous);
    TestHttp admin = anonymous.asAdmin();
    org = uniqueId("rc");
    assertThat(
            admin.postJson(
                    "/orgs",
                    "{\"name\":\"" + org + "\",\"admin\":{\"username\":\"boss\",\"password\":\"boss-password\"}}")
                .status())
        .isEqualTo(201);
    boss = anonymous.loggedIn("boss", "boss-password", org);
    assertThat(boss.postJson("/orgs/" + org + "/users", "{\"username\":\"ann\",\"password\":\"ann-password\"}").status())
        .isEqualTo(201);
    ann = anonymous.loggedIn("ann", "ann-password", org);
  }

  @AfterAll
  static void stopNode() throws Exception {
    ItSupport.stop(node);
  }

  /** How often the handler of an id ran. */
  private static int runs(String id) {
    return Probe.RUNS.getOrDefault(id, new AtomicInteger()).get();
  }

  private static String xcache(TestHttp.Response response) {
    return response.header("X-Cache").orElse("(none)");
  }

  @Test
  void aPublicAnswerIsServedFromTheCacheTheSecondTime() {
    String id = uniqueId("item");
    String path = "/rc/" + id + "?cc=public,max-age=60";

    TestHttp.Response first = boss.get(path);
    TestHttp.Response second = boss.get(path);

    assertThat(first.status()).isEqualTo(200);
    assertThat(xcache(first)).isEqualTo("miss");
    assertThat(first.header("Age")).isEmpty();
    assertThat(second.status()).isEqualTo(200);
    assertThat(xcache(second)).isEqualTo("hit");
    assertThat(second.body()).isEqualTo(first.body()).startsWith(id + " #1");
    assertThat(Long.parseLong(second.header("Age").orElseThrow())).isBetween(0L, 60L);
    assertThat(second.contentType()).isEqualTo(first.contentType()).startsWith("text/plain");
    assertThat(second.header("X-Item")).contains(id);
    assertThat(second.header("Cache-Control")).isEqualTo(first.header("Cache-Control"));
    assertThat(second.header("X-Request-Id")).isPresent().isNotEqualTo(first.header("X-Request-Id"));
    assertThat(runs(id)).isEqualTo(1);
  }

  @Test
  void withCredentialsOnlyPublicAnswersAreStored() {
    String plain = uniqueId("plain");
    String maxAgeOnly = uniqueId("maxage");

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      seen.add(xcache(boss.get("/rc/" + plain)));
      seen.add(xcache(boss.get("/rc/" + maxAgeOnly + "?cc=max-age=60")));
    }

    assertThat(seen).containsOnly("miss");
    assertThat(runs(plain)).isEqualTo(2);
    assertThat(runs(maxAgeOnly)).isEqualTo(2);
  }

  @Test
  void privateNoStoreNoCacheAndZeroMaxAgeAnswersAreNotStored() {
    for (String cc : List.of("public,private,max-age=60", "public,no-store", "public,no-cache", "public,max-age=0")) {
      String id = uniqueId("nostore");
      String path = "/rc/" + id + "?cc=" + cc;
      assertThat(xcache(boss.get(path))).as(cc).isEqualTo("miss");
      assertThat(xcache(boss.get(path))).as(cc).isEqualTo("miss");
      assertThat(runs(id)).as(cc).isEqualTo(2);
    }
  }

  @Test
  void errorsCookiesLargeAndStreamedBodiesAreNotStoredButAnsweredWhole() {
    String notFound = uniqueId("status");
    String cookie = uniqueId("cookie");
    String large = uniqueId("large");
    String streamed = uniqueId("chunked");
    String fits = uniqueId("fits");
    for (int i = 0; i < 2; i++) {
      TestHttp.Response missing = boss.get("/rc/" + notFound + "?cc=public&status=404");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(xcache(missing)).isEqualTo("miss");
      assertThat(xcache(boss.get("/rc/" + cookie + "?cc=public&cookie=1"))).isEqualTo("miss");
      TestHttp.Response big = boss.get("/rc/" + large + "?cc=public&size=" + (MAX_BODY + 1));
      assertThat(big.body()).hasSize(MAX_BODY + 1);
      assertThat(xcache(big)).isEqualTo("miss");
      TestHttp.Response chunks = boss.get("/rc/" + streamed + "?cc=public&chunked=1");
      assertThat(chunks.body()).startsWith(streamed + " #" + (i + 1)).endsWith("end");
      assertThat(xcache(chunks)).isEqualTo("miss");
    }
    assertThat(runs(notFound)).isEqualTo(2);
    assertThat(runs(cookie)).isEqualTo(2);
    assertThat(runs(large)).isEqualTo(2);
    assertThat(runs(streamed)).isEqualTo(2);

    boss.get("/rc/" + fits + "?cc=public&size=" + MAX_BODY);
    TestHttp.Response atLimit = boss.get("/rc/" + fits + "?cc=public&size=" + MAX_BODY);
    assertThat(xcache(atLimit)).isEqualTo("hit");
    assertThat(atLimit.body()).hasSize(MAX_BODY);
  }

  @Test
  void varyPicksTheVariantByTheNamedRequestHeader() {
    String id = uniqueId("vary");
    String path = "/rc/" + id + "?cc=public,max-age=60&vary=X-Lang";

    TestHttp.Response en = boss.get(path, "X-Lang", "en");
    TestHttp.Response enAgain = boss.get(path, "X-Lang", "en");
    TestHttp.Response fr = boss.get(path, "X-Lang", "fr");
    TestHttp.Response frAgain = boss.get(path, "X-Lang", "fr");
    TestHttp.Response none = boss.get(path);
    TestHttp.Response enThird = boss.get(path, "X-Lang", "en");

    assertThat(List.of(xcache(en), xcache(enAgain), xcache(fr), xcache(frAgain), xcache(none), xcache(enThird)))
        .containsExactly("miss", "hit", "miss", "hit", "miss", "hit");
    assertThat(enAgain.body()).isEqualTo(en.body()).contains("lang=en");
    assertThat(frAgain.body()).isEqualTo(fr.body()).contains("lang=fr");
    assertThat(enThird.body()).contains("lang=en");
    assertThat(enAgain.header("Vary")).contains("X-Lang");
    assertThat(runs(id)).isEqualTo(3);
  }

  @Test
  void invalidatingATagMakesTheNextRequestAMiss() {
    String id = uniqueId("tagged");
    String other = uniqueId("untouched");
    String path = "/rc/" + id + "?cc=public,max-age=60";
    boss.get(path);
    boss.get("/rc/" + other + "?cc=public,max-age=60");
    assertThat(xcache(boss.get(path))).isEqualTo("hit");

    TestHttp.Response invalidated =
        boss.send("POST", "/cache/http-responses/invalidate?tag=rc-" + id, null, null);

    assertThat(invalidated.status()).as("%s", invalidated).isEqualTo(200);
    assertThat(invalidated.json().get("invalidated").asInt()).isEqualTo(1);
    TestHttp.Response after = boss.get(path);
    assertThat(xcache(after)).isEqualTo("miss");
    assertThat(after.body()).startsWith(id + " #2");
    assertThat(xcache(boss.get(path))).isEqualTo("hit");
    assertThat(xcache(boss.get("/rc/" + other + "?cc=public,max-age=60"))).isEqualTo("hit");
    assertThat(runs(id)).isEqualTo(2);
  }

  @Test
  void answersAreKeptPerPrincipalEvenWhenPublic() {
    String id = uniqueId("who");
    String path = "/rc/" + id + "?cc=public,max-age=60";

    TestHttp.Response bossFirst = boss.get(path);
    TestHttp.Response annFirst = ann.get(path);
    TestHttp.Response annSecond = ann.get(path);
    TestHttp.Response bossSecond = boss.get(path);

    assertThat(List.of(xcache(bossFirst), xcache(annFirst), xcache(annSecond), xcache(bossSecond)))
        .containsExactly("miss", "miss", "hit", "hit");
    assertThat(bossSecond.body()).isEqualTo(bossFirst.body()).contains("for boss");
    assertThat(annSecond.body()).isEqualTo(annFirst.body()).contains("for ann");
    assertThat(runs(id)).isEqualTo(2);
  }

  @Test
  void theQueryIsPartOfTheKey() {
    String id = uniqueId("query");
    boss.get("/rc/" + id + "?cc=public,max-age=60&page=1");
    TestHttp.Response page2 = boss.get("/rc/" + id + "?cc=public,max-age=60&page=2");
    TestHttp.Response page1 = boss.get("/rc/" + id + "?cc=public,max-age=60&page=1");

    assertThat(xcache(page2)).isEqualTo("miss");
    assertThat(xcache(page1)).isEqualTo("hit");
    assertThat(runs(id)).isEqualTo(2);
  }

  @Test
  void requestCacheControlSkipsTheLookupOrTheStore() {
    String id = uniqueId("fresh");
    String path = "/rc/" + id + "?cc=public,max-age=60";
    boss.get(path);

    TestHttp.Response revalidated = boss.get(path, "Cache-Control", "no-cache");
    TestHttp.Response afterRevalidation = boss.get(path);
    TestHttp.Response unstored = boss.get(path, "Cache-Control", "no-store");
    TestHttp.Response afterNoStore = boss.get(path);

    assertThat(xcache(revalidated)).isEqualTo("miss");
    assertThat(revalidated.body()).startsWith(id + " #2");
    assertThat(xcache(afterRevalidation)).isEqualTo("hit");
    assertThat(afterRevalidation.body()).startsWith(id + " #2");
    assertThat(xcache(unstored)).isEqualTo("miss");
    assertThat(unstored.body()).startsWith(id + " #3");
    assertThat(xcache(afterNoStore)).isEqualTo("hit");
    assertThat(afterNoStore.body()).startsWith(id + " #2");
    assertThat(runs(id)).isEqualTo(3);
  }

  @Test
  void maxAgeBecomesTheEntrysTtl() {
    String id = uniqueId("ttl");
    // s-maxage wins over max-age; 3 s leaves the second request ample time to find the entry.
    String path = "/rc/" + id + "?cc=public,s-maxage=3,max-age=600";
    TestHttp.Response first = boss.get(path);
    TestHttp.Response second = boss.get(path);

    assertThat(xcache(first)).isEqualTo("miss");
    assertThat(xcache(second)).isEqualTo("hit");
    assertThat(second.body()).startsWith(id + " #1");
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(300))
        .untilAsserted(() -> assertThat(boss.get(path).body()).doesNotStartWith(id + " #1"));
    assertThat(runs(id)).isEqualTo(2);
  }

  @Test
  void theResponseCachesEntriesCannotBeReadOrWrittenOverHttp() {
    String id = uniqueId("reserved");
    String path = "/rc/" + id + "?cc=public,max-age=60";
    boss.get(path);
    assertThat(xcache(boss.get(path))).isEqualTo("hit");
    String key = "/cache/" + RESPONSES + "/" + baseKey(org, "boss", "GET", path);
    // Starts like StoredResponse bytes ("TRC", kind 'R'): what a poisoner would try to plant.
    String planted = "TRCR<script>alert(1)</script>";

    for (TestHttp who : List.of(boss, ann)) {
      assertReserved(who.send("PUT", key, "application/octet-stream", planted));
      assertReserved(who.get(key));
      assertReserved(who.send("DELETE", key, null, null));
      assertReserved(who.get("/cache/" + RESPONSES + "/any-key"));
    }

    TestHttp.Response still = boss.get(path);
    assertThat(xcache(still)).isEqualTo("hit");
    assertThat(still.body()).startsWith(id + " #1").doesNotContain("script");
    assertThat(runs(id)).isEqualTo(1);
  }

  @Test
  void theResponseCachesNamespaceKeepsFlushInvalidateAndStatsWithTheirPermissions() {
    String id = uniqueId("kept");
    String path = "/rc/" + id + "?cc=public,max-age=60";
    boss.get(path);
    assertThat(xcache(boss.get(path))).isEqualTo("hit");

    TestHttp.Response stats = ann.get("/cache/" + RESPONSES + "/stats");
    assertThat(stats.status()).as("%s", stats).isEqualTo(200);
    assertThat(stats.json().get("entries").asLong()).isPositive();
    assertThat(stats.json().get("hits").asLong()).isPositive();
    ItSupport.assertProblem(
        ann.send("POST", "/cache/" + RESPONSES + "/invalidate?tag=rc-" + id, null, null), 403, "forbidden");
    ItSupport.assertProblem(ann.send("DELETE", "/cache/" + RESPONSES, null, null), 403, "forbidden");
    assertThat(xcache(boss.get(path))).isEqualTo("hit");

    TestHttp.Response invalidated = boss.send("POST", "/cache/" + RESPONSES + "/invalidate?tag=rc-" + id, null, null);
    assertThat(invalidated.status()).as("%s", invalidated).isEqualTo(200);
    assertThat(invalidated.json().get("invalidated").asInt()).isEqualTo(1);
    assertThat(xcache(boss.get(path))).isEqualTo("miss");
    assertThat(xcache(boss.get(path))).isEqualTo("hit");

    assertThat(boss.send("DELETE", "/cache/" + RESPONSES, null, null).status()).isEqualTo(204);
    assertThat(xcache(boss.get(path))).isEqualTo("miss");
    assertThat(runs(id)).isEqualTo(3);
  }

  @Test
  void aReadOnlyCacheUserMayReadAndSeeStatsButNotWrite() {
    String ns = uniqueId("ro");
    String entry = "/cache/" + ns + "/key";
    assertThat(boss.send("PUT", entry + "?tags=t", "text/plain", "original").status()).isEqualTo(204);

    TestHttp.Response read = ann.get(entry);
    assertThat(read.status()).as("%s", read).isEqualTo(200);
    assertThat(read.body()).isEqualTo("original");
    ItSupport.assertProblem(ann.get("/cache/" + ns + "/absent"), 404, "not_found");
    TestHttp.Response stats = ann.get("/cache/" + ns + "/stats");
    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.json().get("entries").asLong()).isEqualTo(1);

    for (TestHttp.Response refused :
        List.of(
            ann.send("PUT", entry, "text/plain", "changed"),
            ann.send("PUT", "/cache/" + ns + "/new", "text/plain", "new"),
            ann.send("DELETE", entry, null, null),
            ann.send("DELETE", "/cache/" + ns, null, null),
            ann.send("POST", "/cache/" + ns + "/invalidate?tag=t", null, null))) {
      JsonNode problem = ItSupport.assertProblem(refused, 403, "forbidden");
      assertThat(problem.get("detail").asText()).contains("cache.write");
    }

    assertThat(boss.get(entry).body()).isEqualTo("original");
    ItSupport.assertProblem(boss.get("/cache/" + ns + "/new"), 404, "not_found");
    assertThat(boss.get("/cache/" + ns + "/stats").json().get("entries").asLong()).isEqualTo(1);
  }

  private static void assertReserved(TestHttp.Response response) {
    JsonNode problem = ItSupport.assertProblem(response, 403, "forbidden");
    assertThat(problem.get("detail").asText()).contains("reserved for the response cache");
  }

  /**
   * The response cache's base key of a request, derived as {@code ResponseKeys.base} does, so the
   * test aims at the very entry a hit is served from.
   */
  private static String baseKey(String tenant, String principal, String method, String target) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : List.of(tenant, principal, method, target)) {
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return "r-" + HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void otherMethodsPassThroughUntouched() {
    String id = uniqueId("post");
    TestHttp.Response first = boss.send("POST", "/rc/" + id + "?cc=public,max-age=60", null, null);
    TestHttp.Response second = boss.send("POST", "/rc/" + id + "?cc=public,max-age=60", null, null);

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("X-Cache")).isEmpty();
    assertThat(second.body()).startsWith(id + " #2");
    assertThat(runs(id)).isEqualTo(2);
  }

  @Test
  void cacheFailuresInsideStagesBecomeTheirProblems() {
    ItSupport.assertProblem(boss.get("/cache-failure/invalid"), 400, "invalid_parameter");
    ItSupport.assertProblem(boss.get("/cache-failure/key-too-long"), 414, "uri_too_long");
    ItSupport.assertProblem(boss.get("/cache-failure/too-large"), 413, "payload_too_large");
    TestHttp.Response precondition = boss.get("/cache-failure/precondition");
    ItSupport.assertProblem(precondition, 412, "precondition_failed");
    assertThat(precondition.header("ETag")).contains("\"current-1\"");
    TestHttp.Response unavailable = boss.get("/cache-failure/unavailable");
    ItSupport.assertProblem(unavailable, 503, "unavailable");
    assertThat(Long.parseLong(unavailable.header("Retry-After").orElseThrow())).isPositive();
  }

  /**
   * The test extension: {@code GET|POST /rc/{id}} through the directive, tagged {@code rc-<id>};
   * {@code GET /cache-failure/{kind}} fails its stage with that kind of {@link CacheException}.
   */
  public static final class Probe extends AllDirectives implements TroupeExtension {

    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    @Override
    public void start(ActorSystem<?> system) {}

    @Override
    public Route routes(RouteSupport support) {
      return concat(cached(support), failures());
    }

    private Route failures() {
      return path(
          PathMatchers.segment("cache-failure").slash(PathMatchers.segment()),
          kind ->
              get(
                  () ->
                      onSuccess(
                          CompletableFuture.<String>failedFuture(new CompletionException(failure(kind))),
                          never -> complete(never))));
    }

    private static CacheException failure(String kind) {
      return switch (kind) {
        case "invalid" -> CacheException.invalid("bad input");
        case "key-too-long" -> CacheException.keyTooLong("long key");
        case "too-large" -> CacheException.tooLarge("big value");
        case "precondition" -> CacheException.preconditionFailed("changed", Optional.of("current-1"));
        default -> CacheException.unavailable("bucket did not answer");
      };
    }

    private Route cached(RouteSupport support) {
      return pathPrefix(
          "rc",
          () ->
              path(
                  PathMatchers.segment(),
                  id ->
                      support.withContext(
                          context ->
                              support
                                  .responseCache()
                                  .cached(
                                      List.of("rc", "rc-" + id),
                                      () ->
                                          extractRequest(
                                              request ->
                                                  concat(
                                                      get(() -> complete(answer(id, context.principal(), request))),
                                                      post(() -> complete(answer(id, context.principal(), request)))))))));
    }

    private static HttpResponse answer(String id, String principal, HttpRequest request) {
      int run = RUNS.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet();
      var query = request.getUri().query();
      String lang =
          query.get("vary").flatMap(name -> request.getHeader(name)).map(HttpHeader::value).orElse("");
      String text = id + " #" + run + " for " + principal + " lang=" + lang;
      int size = query.get("size").map(Integer::parseInt).orElse(0);
      if (size > text.length()) {
        text = text + "x".repeat(size - text.length());
      }
      List<HttpHeader> headers = new ArrayList<>();
      headers.add(RawHeader.create("X-Item", id));
      query.get("cc").ifPresent(cc -> headers.add(RawHeader.create("Cache-Control", cc)));
      query.get("vary").ifPresent(vary -> headers.add(RawHeader.create("Vary", vary)));
      if (query.get("cookie").isPresent()) {
        headers.add(RawHeader.create("Set-Cookie", "session=abc"));
      }
      HttpResponse response =
          HttpResponse.create()
              .withStatus(StatusCodes.get(query.get("status").map(Integer::parseInt).orElse(200)))
              .addHeaders(headers);
      if (query.get("chunked").isPresent()) {
        return response.withEntity(
            HttpEntities.createChunked(
                ContentTypes.TEXT_PLAIN_UTF8,
                Source.from(List.of(ByteString.fromString(text), ByteString.fromString(" end")))));
      }
      return response.withEntity(ContentTypes.TEXT_PLAIN_UTF8, text);
    }
  }
}
