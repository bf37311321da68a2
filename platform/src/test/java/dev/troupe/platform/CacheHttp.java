package dev.troupe.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code /cache} HTTP API of node processes, as the node processes' sys-admin (tenant {@code
 * system}): every reply keeps its headers and when it was sent and received, so TTL tests can
 * bound when the node decided.
 */
final class CacheHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** A reply, with the instants just before the request was sent and just after it was answered. */
  record Reply(int status, Map<String, List<String>> headers, String body, Instant sentAt, Instant receivedAt) {

    Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          .map(e -> e.getValue().get(0))
          .findFirst();
    }

    /** The {@code ETag} header as sent, quotes included; empty when there is none. */
    String etag() {
      return header("ETag").orElse("");
    }

    JsonNode json() {
      try {
        return body.isEmpty() ? MissingNode.getInstance() : JSON.readTree(body);
      } catch (JsonProcessingException e) {
        return MissingNode.getInstance();
      }
    }

    @Override
    public String toString() {
      return status + " " + headers + " " + body;
    }
  }

  /** {@code troupe.cache.buckets} as the node processes run it (the default). */
  static final int BUCKETS = 64;

  /** The bucket a key lives in (the contract: fixed forever). */
  static int bucketOf(String key) {
    return Math.floorMod(key.hashCode(), BUCKETS);
  }

  /** The first of {@code <prefix>-0, <prefix>-1, ...} that lives in the bucket. */
  static String keyInBucket(String prefix, int bucket) {
    for (int i = 0; ; i++) {
      String key = prefix + "-" + i;
      if (bucketOf(key) == bucket) {
        return key;
      }
    }
  }

  /** The local id of a namespace's bucket, as {@code /cluster/entities} and {@code /audit} take it. */
  static String bucketId(String namespace, int bucket) {
    return namespace + "~" + bucket;
  }

  private final HttpClient client;
  private final String bearer;

  private CacheHttp(HttpClient client, String bearer) {
    this.client = client;
    this.bearer = bearer;
  }

  /** Logs in as the sys-admin through the given node; the token is good on every node of its cluster. */
  static CacheHttp asAdmin(NodeProcess node) throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    TestHttp.Response login =
        new TestHttp()
            .post(
                node.uri("/auth/login"),
                Map.of("username", NodeProcess.ADMIN_USER, "password", NodeProcess.ADMIN_PASSWORD),
                TIMEOUT);
    if (login.status() != 200) {
      throw new AssertionError("admin login failed: " + login.status() + " " + login.body());
    }
    return new CacheHttp(client, login.json().get("access_token").asText());
  }

  /** {@code PUT /cache/{ns}/{key}?query} with a text body of the given content type. */
  Reply put(NodeProcess node, String namespace, String key, String query, String body, String contentType)
      throws IOException, InterruptedException {
    HttpRequest request =
        request(node.uri(path(namespace, key) + (query.isEmpty() ? "" : "?" + query)))
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    return send(request);
  }

  Reply get(NodeProcess node, String namespace, String key) throws IOException, InterruptedException {
    return get(node, namespace, key, Map.of());
  }

  /** {@code GET /cache/{ns}/{key}} with extra request headers ({@code If-None-Match}). */
  Reply get(NodeProcess node, String namespace, String key, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder = request(node.uri(path(namespace, key))).GET();
    headers.forEach(builder::header);
    return send(builder.build());
  }

  CompletableFuture<Reply> getAsync(NodeProcess node, String namespace, String key) {
    return getAsync(node, path(namespace, key));
  }

  CompletableFuture<Reply> getAsync(NodeProcess node, String path) {
    return sendAsync(request(node.uri(path)).GET().build());
  }

  /** {@code GET} of any path with the admin's token. */
  Reply getPath(NodeProcess node, String path) throws IOException, InterruptedException {
    return send(request(node.uri(path)).GET().build());
  }

  Reply delete(NodeProcess node, String namespace, String key) throws IOException, InterruptedException {
    return send(request(node.uri(path(namespace, key))).DELETE().build());
  }

  /** {@code POST /cache/{ns}/invalidate?tag=}. */
  Reply invalidate(NodeProcess node, String namespace, String tag) throws IOException, InterruptedException {
    return post(node, "/cache/" + namespace + "/invalidate?tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
  }

  /** {@code POST} of any path with the admin's token and no body. */
  Reply post(NodeProcess node, String path) throws IOException, InterruptedException {
    return send(request(node.uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private static String path(String namespace, String key) {
    return "/cache/" + namespace + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + bearer);
  }

  private Reply send(HttpRequest request) throws IOException, InterruptedException {
    Instant sentAt = Instant.now();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Reply(response.statusCode(), response.headers().map(), response.body(), sentAt, Instant.now());
  }

  private CompletableFuture<Reply> sendAsync(HttpRequest request) {
    Instant sentAt = Instant.now();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(r -> new Reply(r.statusCode(), r.headers().map(), r.body(), sentAt, Instant.now()));
  }
}
