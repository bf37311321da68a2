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
  private final String bearer;

  public TestHttp(int port) {
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build(),
        "http://127.0.0.1:" + port,
        null);
  }

  private TestHttp(HttpClient client, String base, String bearer) {
    this.client = client;
    this.base = base;
    this.bearer = bearer;
  }

  /** The same client sending {@code Authorization: Bearer <accessToken>} with every request. */
  public TestHttp as(String accessToken) {
    return new TestHttp(client, base, accessToken);
  }

  /** Logs in and answers the token response (asserting nothing; check the status yourself). */
  public Response login(String username, String password, String org) {
    String orgField = org == null ? "" : ",\"org\":\"" + org + "\"";
    return withoutToken()
        .postJson(
            "/auth/login",
            "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"" + orgField + "}");
  }

  /** A client logged in as the given user; fails the test if the login fails. */
  public TestHttp loggedIn(String username, String password, String org) {
    Response response = login(username, password, org);
    if (response.status() != 200) {
      throw new AssertionError("login of " + username + " failed: " + response);
    }
    return as(response.json().get("access_token").asText());
  }

  /** A client logged in as the test nodes' sys-admin ({@link TestNodes#ADMIN_USER}). */
  public TestHttp asAdmin() {
    return loggedIn(TestNodes.ADMIN_USER, TestNodes.ADMIN_PASSWORD, null);
  }

  /** The same client without a token. */
  public TestHttp withoutToken() {
    return bearer == null ? this : new TestHttp(client, base, null);
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
    boolean authorization = false;
    for (int i = 0; i < headerPairs.length; i += 2) {
      builder.header(headerPairs[i], headerPairs[i + 1]);
      authorization |= headerPairs[i].equalsIgnoreCase("Authorization");
    }
    if (bearer != null && !authorization) {
      builder.header("Authorization", "Bearer " + bearer);
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
