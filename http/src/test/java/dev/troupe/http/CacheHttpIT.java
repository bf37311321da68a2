package dev.troupe.http;

import static dev.troupe.http.ItSupport.assertProblem;
import static dev.troupe.http.ItSupport.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.cache.bucket.BucketReply;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache's HTTP contract against one node over real sockets: every route, status, header and
 * limit, permissions and tenant isolation, on the H2 journal. {@link CacheCassandraHttpIT} runs
 * the same tests on Cassandra.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheHttpIT {

  /** Buckets per namespace in the test node (the default), to reason about where keys go. */
  static final int BUCKETS = 64;

  /** Largest value in the test node: above the node's body limit, to prove the PUT raises it. */
  static final int MAX_VALUE = 64 * 1024;

  static final int NODE_BODY_LIMIT = 16 * 1024;

  /** A namespace declared durable=false in the test node. */
  static final String MEMORY_NS = "scratch";

  /** A namespace holding one entry per bucket, to force evictions. */
  static final String TINY_NS = "tiny";

  @TempDir static Path dataDir;

  private NodeRuntime node;
  private TestHttp anonymous;
  private TestHttp admin;
  private TestHttp boss;
  private TestHttp member;
  private TestHttp otherBoss;

  /** Settings of the test node beside the shared test overrides. */
  static Config cacheConfig() {
    return ConfigFactory.parseString(
        """
        troupe.http.max-body-size = %d
        troupe.cache.max-value-size = %d
        troupe.cache.default-ttl = 10m
        troupe.cache.max-ttl = 1h
        troupe.cache.namespaces {
          "%s" { durable = off, default-ttl = 5m, max-bytes = 64MiB }
          "%s" { max-entries = %d }
        }
        """
            .formatted(NODE_BODY_LIMIT, MAX_VALUE, MEMORY_NS, TINY_NS, BUCKETS));
  }

  /** Starts the node under test; {@link CacheCassandraHttpIT} starts it on Cassandra instead. */
  protected NodeRuntime startNode(Config config) throws Exception {
    return TestNodes.h2(dataDir, config);
  }

  @BeforeAll
  void start() throws Exception {
    node = startNode(cacheConfig());
    anonymous = new TestHttp(node.httpPort());
    ItSupport.awaitReady(anonymous);
    admin = anonymous.asAdmin();
    String org = newOrg("cache");
    boss = anonymous.loggedIn("boss", "boss-password", org);
    assertThat(
            boss.postJson("/orgs/" + org + "/users", "{\"username\":\"ann\",\"password\":\"ann-password\"}")
                .status())
        .isEqualTo(201);
    member = anonymous.loggedIn("ann", "ann-password", org);
    otherBoss = anonymous.loggedIn("boss", "boss-password", newOrg("rival"));
  }

  @AfterAll
  void stop() throws Exception {
    ItSupport.stop(node);
  }

  private String newOrg(String prefix) {
    String name = uniqueId(prefix);
    TestHttp.Response created =
        admin.postJson(
            "/orgs",
            "{\"name\":\"" + name + "\",\"admin\":{\"username\":\"boss\",\"password\":\"boss-password\"}}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    return name;
  }

  private static TestHttp.Response put(TestHttp who, String path, String contentType, String body, String... headers) {
    return who.send("PUT", path, contentType, body, headers);
  }

  private static TestHttp.Response delete(TestHttp who, String path) {
    return who.send("DELETE", path, null, null);
  }

  private static String etagOf(TestHttp.Response response) {
    String etag = response.header("ETag").orElseThrow(() -> new AssertionError("no ETag in " + response));
    assertThat(etag).matches("\"[\\x21\\x23-\\x7e]+\"");
    return etag;
  }

  private static JsonNode stats(TestHttp who, String ns) {
    TestHttp.Response stats = who.get("/cache/" + ns + "/stats");
    assertThat(stats.status()).as("%s", stats).isEqualTo(200);
    assertThat(stats.contentType()).startsWith("application/json");
    assertThat(ItSupport.fieldNames(stats.json()))
        .containsExactlyInAnyOrder("entries", "bytes", "hits", "misses", "evictions", "expirations");
    return stats.json();
  }

  private static int bucketOf(String key) {
    return Math.floorMod(key.hashCode(), BUCKETS);
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void putAnswers204WithAnEtagAndGetAnswersTheValueWithItsTypeEtagAndAge() {
    String path = "/cache/" + uniqueId("ns") + "/greeting";

    TestHttp.Response stored = put(boss, path, "text/plain; charset=UTF-8", "hello");

    assertThat(stored.status()).as("%s", stored).isEqualTo(204);
    assertThat(stored.body()).isEmpty();
    String etag = etagOf(stored);
    TestHttp.Response read = boss.get(path);
    assertThat(read.status()).as("%s", read).isEqualTo(200);
    assertThat(read.body()).isEqualTo("hello");
    assertThat(read.contentType()).isEqualToIgnoringCase("text/plain; charset=UTF-8");
    assertThat(read.header("ETag")).contains(etag);
    assertThat(Long.parseLong(read.header("Age").orElseThrow())).isBetween(0L, 60L);

    TestHttp.Response again = put(boss, path, "text/plain; charset=UTF-8", "hello again");
    assertThat(etagOf(again)).isNotEqualTo(etag);
    assertThat(boss.get(path).body()).isEqualTo("hello again");
  }

  @Test
  void bodiesAreStoredAsSentWithTheirContentTypeOrOctetStream() throws Exception {
    String ns = uniqueId("ns");
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    HttpRequest request =
        boss.request("/cache/" + ns + "/blob")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(binary))
            .build();
    assertThat(boss.send(request).status()).isEqualTo(204);
    HttpResponse<byte[]> read =
        boss.client()
            .send(boss.request("/cache/" + ns + "/blob").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo(binary);
    assertThat(read.headers().firstValue("Content-Type")).contains("application/octet-stream");

    assertThat(put(boss, "/cache/" + ns + "/doc", "application/vnd.acme.thing+json", "{\"a\":1}").status())
        .isEqualTo(204);
    TestHttp.Response doc = boss.get("/cache/" + ns + "/doc");
    assertThat(doc.contentType()).isEqualTo("application/vnd.acme.thing+json");
    assertThat(doc.body()).isEqualTo("{\"a\":1}");

    assertThat(put(boss, "/cache/" + ns + "/empty", "text/plain", "").status()).isEqualTo(204);
    TestHttp.Response empty = boss.get("/cache/" + ns + "/empty");
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.body()).isEmpty();
  }

  @Test
  void aMalformedContentTypeIsRefusedNotStoredAsSomethingElse() {
    String path = "/cache/" + uniqueId("ns") + "/odd";

    assertProblem(put(boss, path, "not a media type", "x"), 400, "invalid_parameter");
    assertProblem(boss.get(path), 404, "not_found");
  }

  @Test
  void aMatchingIfNoneMatchIs304WithoutBody() {
    String path = "/cache/" + uniqueId("ns") + "/page";
    String etag = etagOf(put(boss, path, "text/plain", "v1"));
    String opaque = etag.substring(1, etag.length() - 1);

    TestHttp.Response notModified = boss.get(path, "If-None-Match", etag);
    assertThat(notModified.status()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.header("ETag")).contains(etag);
    assertThat(boss.get(path, "If-None-Match", "W/" + etag).status()).isEqualTo(304);
    assertThat(boss.get(path, "If-None-Match", "\"other\", " + etag).status()).isEqualTo(304);
    assertThat(boss.get(path, "If-None-Match", "*").status()).isEqualTo(304);

    TestHttp.Response changed = boss.get(path, "If-None-Match", "\"other-" + opaque + "\"");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo("v1");
    assertThat(boss.get(path, "If-None-Match", "garbage").status()).isEqualTo(200);
  }

  @Test
  void anAbsentKeyIs404() {
    String ns = uniqueId("ns");
    assertProblem(boss.get("/cache/" + ns + "/nothing-here"), 404, "not_found");
    put(boss, "/cache/" + ns + "/there", "text/plain", "x");
    assertProblem(boss.get("/cache/" + ns + "/not-there"), 404, "not_found");
    assertProblem(boss.get("/cache/" + ns + "/not-there", "If-None-Match", "*"), 404, "not_found");
  }

  @Test
  void anEntryExpiresAfterItsTtl() {
    String ns = uniqueId("ns");
    String path = "/cache/" + ns + "/short";
    assertThat(put(boss, path + "?ttl=1s", "text/plain", "brief").status()).isEqualTo(204);
    assertThat(put(boss, "/cache/" + ns + "/long?ttl=1h", "text/plain", "lasting").status()).isEqualTo(204);
    assertThat(boss.get(path).status()).isIn(200, 404);

    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(boss.get(path).status()).isEqualTo(404));

    assertProblem(boss.get(path), 404, "not_found");
    assertThat(boss.get("/cache/" + ns + "/long").status()).isEqualTo(200);
    JsonNode stats = stats(boss, ns);
    assertThat(stats.get("entries").asLong()).isEqualTo(1);
    assertThat(stats.get("expirations").asLong()).isEqualTo(1);
  }

  @Test
  void ifMatchIsACompareAndSet() {
    String path = "/cache/" + uniqueId("ns") + "/counter";
    String first = etagOf(put(boss, path, "text/plain", "1"));

    TestHttp.Response swapped = put(boss, path, "text/plain", "2", "If-Match", first);
    assertThat(swapped.status()).as("%s", swapped).isEqualTo(204);
    String second = etagOf(swapped);
    assertThat(second).isNotEqualTo(first);
    assertThat(boss.get(path).body()).isEqualTo("2");

    TestHttp.Response stale = put(boss, path, "text/plain", "3", "If-Match", first);
    assertProblem(stale, 412, "precondition_failed");
    assertThat(stale.header("ETag")).contains(second);
    assertThat(boss.get(path).body()).isEqualTo("2");

    assertProblem(put(boss, path, "text/plain", "3", "If-Match", "W/" + second), 412, "precondition_failed");
    assertProblem(
        put(boss, path + "-absent", "text/plain", "x", "If-Match", second), 412, "precondition_failed");
    assertProblem(boss.get(path + "-absent"), 404, "not_found");
  }

  @Test
  void ifNoneMatchStarIsAPutIfAbsent() {
    String path = "/cache/" + uniqueId("ns") + "/once";

    TestHttp.Response created = put(boss, path, "text/plain", "first", "If-None-Match", "*");
    assertThat(created.status()).as("%s", created).isEqualTo(204);
    String etag = etagOf(created);

    TestHttp.Response refused = put(boss, path, "text/plain", "second", "If-None-Match", "*");
    assertProblem(refused, 412, "precondition_failed");
    assertThat(refused.header("ETag")).contains(etag);
    assertThat(boss.get(path).body()).isEqualTo("first");
  }

  @Test
  void conditionalHeadersTheCacheCannotHonourAre400() {
    String path = "/cache/" + uniqueId("ns") + "/cond";
    String etag = etagOf(put(boss, path, "text/plain", "v"));

    assertProblem(put(boss, path, "text/plain", "x", "If-Match", "*"), 400, "invalid_parameter");
    assertProblem(put(boss, path, "text/plain", "x", "If-Match", etag + ", \"b\""), 400, "invalid_parameter");
    assertProblem(put(boss, path, "text/plain", "x", "If-Match", "unquoted"), 400, "invalid_parameter");
    assertProblem(put(boss, path, "text/plain", "x", "If-None-Match", etag), 400, "invalid_parameter");
    assertProblem(
        put(boss, path, "text/plain", "x", "If-Match", etag, "If-None-Match", "*"), 400, "invalid_parameter");
    assertThat(boss.get(path).body()).isEqualTo("v");
  }

  @Test
  void aValueAboveMaxValueSizeIs413AndTheLimitReplacesTheNodeBodyLimit() {
    String ns = uniqueId("ns");
    String aboveNodeLimit = "a".repeat(NODE_BODY_LIMIT * 2);
    String atLimit = "b".repeat(MAX_VALUE);
    String tooLarge = "c".repeat(MAX_VALUE + 1);

    assertThat(put(boss, "/cache/" + ns + "/mid", "text/plain", aboveNodeLimit).status()).isEqualTo(204);
    assertThat(put(boss, "/cache/" + ns + "/max", "text/plain", atLimit).status()).isEqualTo(204);
    assertThat(boss.get("/cache/" + ns + "/max").body()).hasSize(MAX_VALUE);
    JsonNode problem = assertProblem(put(boss, "/cache/" + ns + "/big", "text/plain", tooLarge), 413, "payload_too_large");
    assertThat(problem.get("detail").asText()).contains(Integer.toString(MAX_VALUE));
    assertProblem(boss.get("/cache/" + ns + "/big"), 404, "not_found");
    // The node's own limit still holds for the other routes.
    assertProblem(boss.postJson("/orgs", "{\"name\":\"" + aboveNodeLimit + "\"}"), 413, "payload_too_large");
  }

  @Test
  void aKeyAboveMaxKeyBytesIs414() {
    String ns = uniqueId("ns");
    String longest = "k".repeat(256);
    String tooLong = "k".repeat(257);
    // 129 two-byte characters: 129 characters, 258 bytes.
    String tooLongInBytes = encode("é".repeat(129));

    assertThat(put(boss, "/cache/" + ns + "/" + longest, "text/plain", "x").status()).isEqualTo(204);
    assertThat(boss.get("/cache/" + ns + "/" + longest).status()).isEqualTo(200);
    assertThat(put(boss, "/cache/" + ns + "/" + encode("é".repeat(128)), "text/plain", "x").status())
        .isEqualTo(204);
    assertProblem(put(boss, "/cache/" + ns + "/" + tooLong, "text/plain", "x"), 414, "uri_too_long");
    assertProblem(put(boss, "/cache/" + ns + "/" + tooLongInBytes, "text/plain", "x"), 414, "uri_too_long");
    assertProblem(boss.get("/cache/" + ns + "/" + tooLong), 414, "uri_too_long");
    assertProblem(delete(boss, "/cache/" + ns + "/" + tooLong), 414, "uri_too_long");
  }

  @Test
  void badTtlTagsAndNamespacesAre400() {
    String ns = uniqueId("ns");
    String path = "/cache/" + ns + "/key";
    for (String ttl : List.of("abc", "10", "0s", "-5s", "5x", "1.5s", "2h", "31d", "99999999999999999999d")) {
      assertProblem(put(boss, path + "?ttl=" + encode(ttl), "text/plain", "x"), 400, "invalid_parameter");
    }
    assertThat(put(boss, path + "?ttl=1h", "text/plain", "x").status()).isEqualTo(204);
    assertThat(put(boss, path + "?ttl=500ms", "text/plain", "x").status()).isEqualTo(204);

    String sixteen = IntStream.range(0, 16).mapToObj(i -> "t" + i).collect(Collectors.joining(","));
    assertThat(put(boss, path + "?tags=" + sixteen, "text/plain", "x").status()).isEqualTo(204);
    assertProblem(put(boss, path + "?tags=" + sixteen + ",t16", "text/plain", "x"), 400, "invalid_parameter");
    for (String tags : List.of("bad tag", "a,,b", "ok,no/slash", "x".repeat(65), "ümlaut", ",")) {
      assertProblem(put(boss, path + "?tags=" + encode(tags), "text/plain", "x"), 400, "invalid_parameter");
    }
    assertThat(put(boss, path + "?tags=" + encode("A.b_c:d-" + "e".repeat(56)), "text/plain", "x").status())
        .isEqualTo(204);

    for (String badNs : List.of("Upper", "-dash-first", ".dot-first", "x".repeat(64), encode("a b"), encode("é"))) {
      assertProblem(put(boss, "/cache/" + badNs + "/key", "text/plain", "x"), 400, "invalid_parameter");
      assertProblem(boss.get("/cache/" + badNs + "/key"), 400, "invalid_parameter");
      assertProblem(delete(boss, "/cache/" + badNs + "/key"), 400, "invalid_parameter");
      assertProblem(delete(boss, "/cache/" + badNs), 400, "invalid_parameter");
      assertProblem(boss.get("/cache/" + badNs + "/stats"), 400, "invalid_parameter");
      assertProblem(boss.postJson("/cache/" + badNs + "/invalidate?tag=t", ""), 400, "invalid_parameter");
    }
  }

  @Test
  void invalidateNeedsAValidTag() {
    String ns = uniqueId("ns");
    assertProblem(boss.send("POST", "/cache/" + ns + "/invalidate", null, null), 400, "invalid_parameter");
    assertProblem(boss.send("POST", "/cache/" + ns + "/invalidate?tag=", null, null), 400, "invalid_parameter");
    assertProblem(
        boss.send("POST", "/cache/" + ns + "/invalidate?tag=" + encode("no way"), null, null), 400, "invalid_parameter");
  }

  @Test
  void withoutATokenEveryRouteIs401() {
    String ns = uniqueId("ns");
    assertProblem(anonymous.get("/cache/" + ns + "/key"), 401, "unauthenticated");
    assertProblem(put(anonymous, "/cache/" + ns + "/key", "text/plain", "x"), 401, "unauthenticated");
    assertProblem(delete(anonymous, "/cache/" + ns + "/key"), 401, "unauthenticated");
    assertProblem(delete(anonymous, "/cache/" + ns), 401, "unauthenticated");
    assertProblem(anonymous.send("POST", "/cache/" + ns + "/invalidate?tag=t", null, null), 401, "unauthenticated");
    assertProblem(anonymous.get("/cache/" + ns + "/stats"), 401, "unauthenticated");
  }

  @Test
  void anAccountWithoutACacheRoleIs403OnEveryRoute() {
    String ns = uniqueId("ns");
    put(boss, "/cache/" + ns + "/key", "text/plain", "secret");

    assertProblem(member.get("/cache/" + ns + "/key"), 403, "forbidden");
    assertProblem(put(member, "/cache/" + ns + "/key", "text/plain", "x"), 403, "forbidden");
    assertProblem(delete(member, "/cache/" + ns + "/key"), 403, "forbidden");
    assertProblem(delete(member, "/cache/" + ns), 403, "forbidden");
    assertProblem(member.send("POST", "/cache/" + ns + "/invalidate?tag=t", null, null), 403, "forbidden");
    assertProblem(member.get("/cache/" + ns + "/stats"), 403, "forbidden");
    assertThat(boss.get("/cache/" + ns + "/key").body()).isEqualTo("secret");
  }

  @Test
  void theResponseCachesNamespaceRefusesItsEntriesToEveryoneButKeepsFlushInvalidateAndStats() {
    String ns = "http-responses";
    for (TestHttp who : List.of(admin, boss)) {
      for (TestHttp.Response refused :
          List.of(
              put(who, "/cache/" + ns + "/planted", "text/plain", "x"),
              who.get("/cache/" + ns + "/planted"),
              delete(who, "/cache/" + ns + "/planted"))) {
        JsonNode problem = assertProblem(refused, 403, "forbidden");
        assertThat(problem.get("detail").asText()).contains("reserved for the response cache");
      }
      assertThat(stats(who, ns).get("entries").asLong()).isZero();
      TestHttp.Response invalidated = who.send("POST", "/cache/" + ns + "/invalidate?tag=t", null, null);
      assertThat(invalidated.status()).as("%s", invalidated).isEqualTo(200);
      assertThat(invalidated.json().get("invalidated").asInt()).isZero();
      assertThat(delete(who, "/cache/" + ns).status()).isEqualTo(204);
    }
    // Other methods on a key stay 405; stats still need cache.read; no token is still 401.
    assertProblem(boss.send("POST", "/cache/" + ns + "/planted", "text/plain", "x"), 405, "method_not_allowed");
    assertProblem(member.get("/cache/" + ns + "/stats"), 403, "forbidden");
    assertProblem(anonymous.get("/cache/" + ns + "/planted"), 401, "unauthenticated");
  }

  @Test
  void aSysAdminHoldsTheCachePermissionsInItsOwnOrg() {
    String path = "/cache/" + uniqueId("ns") + "/key";
    assertThat(put(admin, path, "text/plain", "admin's").status()).isEqualTo(204);
    assertThat(admin.get(path).body()).isEqualTo("admin's");
    assertProblem(boss.get(path), 404, "not_found");
  }

  @Test
  void anotherOrgNeverSeesTheEntries() {
    String ns = uniqueId("ns");
    put(boss, "/cache/" + ns + "/shared-name?tags=t", "text/plain", "mine");

    assertProblem(otherBoss.get("/cache/" + ns + "/shared-name"), 404, "not_found");
    assertThat(stats(otherBoss, ns).get("entries").asLong()).isZero();
    TestHttp.Response invalidated = otherBoss.send("POST", "/cache/" + ns + "/invalidate?tag=t", null, null);
    assertThat(invalidated.json().get("invalidated").asInt()).isZero();
    assertThat(delete(otherBoss, "/cache/" + ns).status()).isEqualTo(204);
    assertThat(delete(otherBoss, "/cache/" + ns + "/shared-name").status()).isEqualTo(204);
    assertThat(put(otherBoss, "/cache/" + ns + "/shared-name", "text/plain", "theirs").status()).isEqualTo(204);

    assertThat(boss.get("/cache/" + ns + "/shared-name").body()).isEqualTo("mine");
    assertThat(otherBoss.get("/cache/" + ns + "/shared-name").body()).isEqualTo("theirs");
  }

  @Test
  void deleteIs204WhetherOrNotTheKeyExisted() {
    String ns = uniqueId("ns");
    put(boss, "/cache/" + ns + "/gone", "text/plain", "x");

    TestHttp.Response existed = delete(boss, "/cache/" + ns + "/gone");
    assertThat(existed.status()).isEqualTo(204);
    assertThat(existed.body()).isEmpty();
    assertProblem(boss.get("/cache/" + ns + "/gone"), 404, "not_found");
    assertThat(delete(boss, "/cache/" + ns + "/gone").status()).isEqualTo(204);
    assertThat(delete(boss, "/cache/" + ns + "/never").status()).isEqualTo(204);
  }

  @Test
  void flushEmptiesTheNamespaceOnly() {
    String ns = uniqueId("ns");
    String other = uniqueId("ns");
    List<String> keys = IntStream.range(0, 12).mapToObj(i -> "key-" + i).toList();
    keys.forEach(k -> assertThat(put(boss, "/cache/" + ns + "/" + k, "text/plain", k).status()).isEqualTo(204));
    put(boss, "/cache/" + other + "/keep", "text/plain", "kept");

    TestHttp.Response flushed = delete(boss, "/cache/" + ns);

    assertThat(flushed.status()).isEqualTo(204);
    keys.forEach(k -> assertProblem(boss.get("/cache/" + ns + "/" + k), 404, "not_found"));
    assertThat(stats(boss, ns).get("entries").asLong()).isZero();
    assertThat(boss.get("/cache/" + other + "/keep").body()).isEqualTo("kept");
    assertThat(delete(boss, "/cache/" + ns).status()).isEqualTo(204);
  }

  @Test
  void invalidateRemovesEveryTaggedEntryAcrossBuckets() {
    String ns = uniqueId("ns");
    List<String> tagged = IntStream.range(0, 40).mapToObj(i -> "item-" + i).toList();
    assertThat(tagged.stream().map(CacheHttpIT::bucketOf).distinct().count()).isGreaterThan(10);
    for (String key : tagged) {
      assertThat(put(boss, "/cache/" + ns + "/" + key + "?tags=catalog," + key, "text/plain", key).status())
          .isEqualTo(204);
    }
    List<String> untagged = List.of("other-1", "other-2", "other-3");
    untagged.forEach(k -> put(boss, "/cache/" + ns + "/" + k + "?tags=misc", "text/plain", k));

    TestHttp.Response invalidated = boss.send("POST", "/cache/" + ns + "/invalidate?tag=catalog", null, null);

    assertThat(invalidated.status()).as("%s", invalidated).isEqualTo(200);
    assertThat(invalidated.contentType()).startsWith("application/json");
    assertThat(ItSupport.fieldNames(invalidated.json())).containsExactly("invalidated");
    assertThat(invalidated.json().get("invalidated").asInt()).isEqualTo(40);
    tagged.forEach(k -> assertThat(boss.get("/cache/" + ns + "/" + k).status()).isEqualTo(404));
    untagged.forEach(k -> assertThat(boss.get("/cache/" + ns + "/" + k).body()).isEqualTo(k));
    TestHttp.Response again = boss.send("POST", "/cache/" + ns + "/invalidate?tag=catalog", null, null);
    assertThat(again.json().get("invalidated").asInt()).isZero();
    TestHttp.Response one = boss.send("POST", "/cache/" + ns + "/invalidate?tag=misc", null, null);
    assertThat(one.json().get("invalidated").asInt()).isEqualTo(3);
  }

  @Test
  void statsFollowPutsReadsDeletesAndEvictions() {
    String ns = uniqueId("ns");
    JsonNode empty = stats(boss, ns);
    for (String field : List.of("entries", "bytes", "hits", "misses", "evictions", "expirations")) {
      assertThat(empty.get(field).asLong()).as(field).isZero();
    }

    put(boss, "/cache/" + ns + "/a", "text/plain", "hello");
    put(boss, "/cache/" + ns + "/b", "text/plain", "world!");
    boss.get("/cache/" + ns + "/a");
    boss.get("/cache/" + ns + "/a");
    boss.get("/cache/" + ns + "/b");
    boss.get("/cache/" + ns + "/absent");

    JsonNode after = stats(boss, ns);
    assertThat(after.get("entries").asLong()).isEqualTo(2);
    assertThat(after.get("bytes").asLong()).isEqualTo(entrySize("a", "hello") + entrySize("b", "world!"));
    assertThat(after.get("hits").asLong()).isEqualTo(3);
    assertThat(after.get("misses").asLong()).isEqualTo(1);

    delete(boss, "/cache/" + ns + "/a");
    JsonNode deleted = stats(boss, ns);
    assertThat(deleted.get("entries").asLong()).isEqualTo(1);
    assertThat(deleted.get("bytes").asLong()).isEqualTo(entrySize("b", "world!"));
  }

  /**
   * What an untagged text/plain entry counts for in the {@code bytes} stat and the byte limit:
   * value, key and content type in UTF-8 plus the fixed bookkeeping ({@code BucketReply.Entry.size}).
   */
  private static long entrySize(String key, String value) {
    return BucketReply.Entry.OVERHEAD + key.length() + value.length() + "text/plain".length();
  }

  @Test
  void aFullBucketEvictsItsOldestWrite() {
    // max-entries = buckets: one entry per bucket, so the second key of a bucket evicts the first.
    Map<Integer, List<String>> byBucket = new HashMap<>();
    List<String> pair = null;
    for (int i = 0; pair == null; i++) {
      String key = uniqueId("e") + i;
      List<String> keys = byBucket.computeIfAbsent(bucketOf(key), b -> new ArrayList<>());
      keys.add(key);
      if (keys.size() == 2) {
        pair = keys;
      }
    }
    long evictionsBefore = stats(boss, TINY_NS).get("evictions").asLong();

    put(boss, "/cache/" + TINY_NS + "/" + pair.get(0), "text/plain", "old");
    put(boss, "/cache/" + TINY_NS + "/" + pair.get(1), "text/plain", "new");

    assertProblem(boss.get("/cache/" + TINY_NS + "/" + pair.get(0)), 404, "not_found");
    assertThat(boss.get("/cache/" + TINY_NS + "/" + pair.get(1)).body()).isEqualTo("new");
    assertThat(stats(boss, TINY_NS).get("evictions").asLong()).isEqualTo(evictionsBefore + 1);
  }

  @Test
  void aDurableNamespaceIsAuditedAndAMemoryNamespaceIsNot() {
    String durableNs = uniqueId("ns");
    String key = uniqueId("k");
    // The memory namespace is shared by the class: a tag of this test's own, and counts as deltas.
    String tag = uniqueId("t");
    long entriesBefore = stats(boss, MEMORY_NS).get("entries").asLong();
    put(boss, "/cache/" + durableNs + "/" + key + "?tags=" + tag, "text/plain", "kept");
    put(boss, "/cache/" + MEMORY_NS + "/" + key + "?tags=" + tag, "text/plain", "fleeting");

    // A fresh namespace: its bucket's stream holds exactly this put.
    JsonNode durableEvents = auditEvents(durableNs + "~" + bucketOf(key));
    assertThat(durableEvents).hasSize(1);
    assertThat(durableEvents.get(0).get("type").asText()).isEqualTo("Stored");
    // Audit shows who stored which key, and the value's size, not the value itself.
    JsonNode stored = durableEvents.get(0);
    assertThat(stored.at("/payload/key").asText()).isEqualTo(key);
    assertThat(stored.at("/payload/size").asInt()).isEqualTo(4);
    assertThat(stored.at("/meta/principal").asText()).isEqualTo("boss");
    assertThat(stored.get("payload").has("value")).isFalse();
    assertThat(stored.toString()).doesNotContain(Base64.getEncoder().encodeToString("kept".getBytes(StandardCharsets.UTF_8)));
    assertThat(auditEvents(MEMORY_NS + "~" + bucketOf(key))).isEmpty();

    // The memory namespace honours the whole contract all the same.
    String path = "/cache/" + MEMORY_NS + "/" + key;
    TestHttp.Response read = boss.get(path);
    assertThat(read.body()).isEqualTo("fleeting");
    String etag = read.header("ETag").orElseThrow();
    assertThat(boss.get(path, "If-None-Match", etag).status()).isEqualTo(304);
    assertProblem(put(boss, path, "text/plain", "x", "If-None-Match", "*"), 412, "precondition_failed");
    assertThat(put(boss, path + "?tags=" + tag, "text/plain", "swapped", "If-Match", etag).status()).isEqualTo(204);
    assertThat(boss.get(path).body()).isEqualTo("swapped");
    assertThat(stats(boss, MEMORY_NS).get("entries").asLong()).isEqualTo(entriesBefore + 1);
    TestHttp.Response invalidated =
        boss.send("POST", "/cache/" + MEMORY_NS + "/invalidate?tag=" + tag, null, null);
    assertThat(invalidated.json().get("invalidated").asInt()).isEqualTo(1);
    assertProblem(boss.get(path), 404, "not_found");
    assertThat(stats(boss, MEMORY_NS).get("entries").asLong()).isEqualTo(entriesBefore);

    String shortPath = "/cache/" + MEMORY_NS + "/" + uniqueId("brief");
    assertThat(put(boss, shortPath + "?ttl=1s", "text/plain", "x").status()).isEqualTo(204);
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(boss.get(shortPath).status()).isEqualTo(404));
  }

  private JsonNode auditEvents(String bucketId) {
    TestHttp.Response page = boss.get("/audit/cache-bucket/" + bucketId + "/events");
    assertThat(page.status()).as("%s", page).isEqualTo(200);
    return page.json().get("events");
  }

  @Test
  void unknownPathsAndMethodsUnderCacheAreProblems() {
    String ns = uniqueId("ns");
    TestHttp.Response post = boss.send("POST", "/cache/" + ns + "/key", "text/plain", "x");
    assertProblem(post, 405, "method_not_allowed");
    assertThat(post.header("Allow").orElse("")).contains("GET").contains("PUT").contains("DELETE");
    assertProblem(boss.get("/cache/" + ns + "/a/b"), 404, "not_found");
    assertProblem(boss.get("/cache/" + ns + "/"), 404, "not_found");
    assertProblem(boss.get("/cache"), 404, "not_found");
    assertProblem(boss.get("/cache/" + ns + "/invalidate"), 404, "not_found");

    // A key named "stats" can be written and deleted; GET answers the namespace's stats.
    assertThat(put(boss, "/cache/" + ns + "/stats", "text/plain", "x").status()).isEqualTo(204);
    assertThat(stats(boss, ns).get("entries").asLong()).isEqualTo(1);
    assertThat(delete(boss, "/cache/" + ns + "/stats").status()).isEqualTo(204);
    assertThat(stats(boss, ns).get("entries").asLong()).isZero();
  }
}
