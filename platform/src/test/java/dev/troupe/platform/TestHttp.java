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

  public TestHttp() {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
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

  private static HttpRequest getRequest(URI uri, Duration timeout) {
    return HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
  }

  private static HttpRequest postRequest(URI uri, Map<String, ?> body, Duration timeout) {
    try {
      return HttpRequest.newBuilder(uri)
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
