package dev.troupe.http.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A small blocking client for integration tests against a node's real HTTP port: the JDK's {@link
 * HttpClient} over HTTP/1.1, JSON parsed with Jackson.
 */
public final class TestHttp {

  public static final ObjectMapper JSON = new ObjectMapper();
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  /** A complete response: status, headers and the body as text. */
  public record Response(int status, HttpHeaders headers, String body) {

    public Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    public String contentType() {
      return header("Content-Type").orElse("");
    }

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (status " + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + headers.map() + " " + body;
    }
  }

  private final HttpClient client;
  private final String base;

  public TestHttp(int port) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.base = "http://127.0.0.1:" + port;
  }

  public HttpClient client() {
    return client;
  }

  public URI uri(String pathAndQuery) {
    return URI.create(base + pathAndQuery);
  }

  /** A request builder for a path, with the default timeout and the given header pairs. */
  public HttpRequest.Builder request(String pathAndQuery, String... headerPairs) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(REQUEST_TIMEOUT);
    if (headerPairs.length % 2 != 0) {
      throw new IllegalArgumentException("headers come in name/value pairs");
    }
    for (int i = 0; i < headerPairs.length; i += 2) {
      builder.header(headerPairs[i], headerPairs[i + 1]);
    }
    return builder;
  }

  public Response get(String pathAndQuery, String... headerPairs) {
    return send(request(pathAndQuery, headerPairs).GET().build());
  }

  /** Sends a body with the given method and content type (null: no Content-Type header). */
  public Response send(
      String method, String pathAndQuery, String contentType, String body, String... headerPairs) {
    HttpRequest.Builder builder = request(pathAndQuery, headerPairs);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return send(builder.method(method, publisher).build());
  }

  public Response postJson(String pathAndQuery, String json, String... headerPairs) {
    return send("POST", pathAndQuery, "application/json", json, headerPairs);
  }

  public Response putJson(String pathAndQuery, String json, String... headerPairs) {
    return send("PUT", pathAndQuery, "application/json", json, headerPairs);
  }

  public Response send(HttpRequest request) {
    try {
      HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
