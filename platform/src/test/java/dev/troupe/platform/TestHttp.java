package dev.troupe.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** JSON over the JDK's HTTP client (HTTP/1.1), for talking to node processes. */
public final class TestHttp {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TestHttp SHARED = new TestHttp();

  /** A response; {@code json} is {@link MissingNode} when the body is not JSON. */
  public record Response(int status, String body, JsonNode json) {
    static Response of(HttpResponse<String> response) {
      JsonNode json;
      try {
        json = response.body().isEmpty() ? MissingNode.getInstance() : JSON.readTree(response.body());
      } catch (JsonProcessingException e) {
        json = MissingNode.getInstance();
      }
      return new Response(response.statusCode(), response.body(), json);
    }
  }

  private final HttpClient client;
  private final String bearer;

  public TestHttp() {
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build(),
        null);
  }

  private TestHttp(HttpClient client, String bearer) {
    this.client = client;
    this.bearer = bearer;
  }

  /** The same client sending {@code Authorization: Bearer <accessToken>}. */
  public TestHttp as(String accessToken) {
    return new TestHttp(client, accessToken);
  }

  /**
   * Logs in as the node processes' sys-admin ({@link NodeProcess#ADMIN_USER}) through the given
   * node; the token is good on every node of its cluster.
   */
  public TestHttp asAdmin(NodeProcess node) throws IOException, InterruptedException {
    Response login =
        new TestHttp(client, null)
            .post(
                node.uri("/auth/login"),
                Map.of("username", NodeProcess.ADMIN_USER, "password", NodeProcess.ADMIN_PASSWORD),
                Duration.ofSeconds(15));
    if (login.status() != 200) {
      throw new AssertionError("admin login failed: " + login.status() + " " + login.body());
    }
    return as(login.json().get("access_token").asText());
  }

  public Response delete(URI uri, Duration timeout) throws IOException, InterruptedException {
    return Response.of(
        client.send(authorized(HttpRequest.newBuilder(uri).timeout(timeout).DELETE()).build(), HttpResponse.BodyHandlers.ofString()));
  }

  public static TestHttp shared() {
    return SHARED;
  }

  public HttpClient client() {
    return client;
  }

  public Response get(URI uri, Duration timeout) throws IOException, InterruptedException {
    return Response.of(client.send(getRequest(uri, timeout), HttpResponse.BodyHandlers.ofString()));
  }

  public CompletableFuture<Response> getAsync(URI uri, Duration timeout) {
    return client.sendAsync(getRequest(uri, timeout), HttpResponse.BodyHandlers.ofString()).thenApply(Response::of);
  }

  public Response post(URI uri, Map<String, ?> body, Duration timeout) throws IOException, InterruptedException {
    return Response.of(client.send(postRequest(uri, body, timeout), HttpResponse.BodyHandlers.ofString()));
  }

  public CompletableFuture<Response> postAsync(URI uri, Map<String, ?> body, Duration timeout) {
    return client.sendAsync(postRequest(uri, body, timeout), HttpResponse.BodyHandlers.ofString()).thenApply(Response::of);
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
    return bearer == null ? builder : builder.header("Authorization", "Bearer " + bearer);
  }

  private HttpRequest getRequest(URI uri, Duration timeout) {
    return authorized(HttpRequest.newBuilder(uri)).timeout(timeout).GET().build();
  }

  private HttpRequest postRequest(URI uri, Map<String, ?> body, Duration timeout) {
    try {
      return authorized(HttpRequest.newBuilder(uri))
          .timeout(timeout)
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
          .build();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
