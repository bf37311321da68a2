package dev.troupe.platform.rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.troupe.platform.NodeProcess;
import dev.troupe.platform.ThreeNodeCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code /rooms} HTTP API of node processes as one logged-in account (JDK HTTP client,
 * HTTP/1.1): every reply keeps its headers and when it was sent and answered, so failover tests
 * can time the first success.
 */
final class RoomsHttp {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();

  /** A reply, with the instants just before it was sent and just after it was answered. */
  record Reply(int status, Map<String, List<String>> headers, String body, Instant sentAt, Instant receivedAt) {

    Optional<String> header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          .map(e -> e.getValue().get(0))
          .findFirst();
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
      return status + " " + body;
    }
  }

  private final String username;
  private final String token;

  private RoomsHttp(String username, String token) {
    this.username = username;
    this.token = token;
  }

  /** Logs in through the given node; the token is good on every node of the cluster. */
  static RoomsHttp login(NodeProcess node, String username, String password, String org) {
    Map<String, String> body =
        org == null
            ? Map.of("username", username, "password", password)
            : Map.of("username", username, "password", password, "org", org);
    Reply login = send(HttpRequest.newBuilder(node.uri("/auth/login")).timeout(TIMEOUT), "POST", json(body));
    if (login.status() != 200) {
      throw new AssertionError("login of " + username + " failed: " + login);
    }
    return new RoomsHttp(username, login.json().path("access_token").asText());
  }

  /** The node processes' sys-admin (org {@code system}). */
  static RoomsHttp admin(NodeProcess node) {
    return login(node, NodeProcess.ADMIN_USER, NodeProcess.ADMIN_PASSWORD, null);
  }

  String username() {
    return username;
  }

  /** The access token, for WebSocket connections. */
  String token() {
    return token;
  }

  /** {@code POST /orgs/{org}/users}: a plain account (an org member) of the org; 201 expected. */
  void createUser(NodeProcess node, String org, String user, String password) {
    Reply created = send(node, "POST", "/orgs/" + org + "/users", json(Map.of("username", user, "password", password)));
    if (created.status() != 201) {
      throw new AssertionError("creating user " + user + " failed: " + created);
    }
  }

  /** {@code PUT /rooms/{room}} with the given settings (may be empty). */
  Reply putRoom(NodeProcess node, String room, Map<String, ?> settings) {
    return send(node, "PUT", "/rooms/" + room, json(settings));
  }

  /** {@code POST /rooms/{room}/messages}, with an {@code Idempotency-Key} when the key is not null. */
  Reply post(NodeProcess node, String room, JsonNode body, String idempotencyKey) {
    return postAsync(node, room, body, idempotencyKey).join();
  }

  CompletableFuture<Reply> postAsync(NodeProcess node, String room, JsonNode body, String idempotencyKey) {
    HttpRequest.Builder request = authorized(node.uri("/rooms/" + room + "/messages"));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return sendAsync(request, "POST", body.toString());
  }

  Reply get(NodeProcess node, String path) {
    return send(node, "GET", path, null);
  }

  /**
   * The whole history through one node: {@code GET /rooms/{room}/messages?after=} page after page
   * until a page is empty or reaches the head the node answered. Fails on anything but 200.
   */
  List<JsonNode> history(NodeProcess node, String room) {
    List<JsonNode> messages = new ArrayList<>();
    long after = 0;
    while (true) {
      Reply page = get(node, "/rooms/" + room + "/messages?after=" + after);
      if (page.status() != 200) {
        throw new AssertionError("history of " + room + " after " + after + " via " + node.name() + ": " + page);
      }
      JsonNode list = page.json().path("messages");
      for (JsonNode message : list) {
        messages.add(message);
        after = message.path("offset").asLong();
      }
      if (list.isEmpty() || after >= page.json().path("head").asLong()) {
        return messages;
      }
    }
  }

  /** {@code GET /rooms/{room}/presence} through a node; fails on anything but 200. */
  JsonNode presence(NodeProcess node, String room) {
    Reply presence = get(node, "/rooms/" + room + "/presence");
    if (presence.status() != 200) {
      throw new AssertionError("presence of " + room + " via " + node.name() + ": " + presence);
    }
    return presence.json();
  }

  /**
   * The node hosting the room's entity now, as {@code GET /cluster/entities/room/{room}} on {@code
   * via} says (sys-admin only, so the room is one of org {@code system}); empty when no node hosts
   * it.
   */
  Optional<NodeProcess> host(ThreeNodeCluster cluster, NodeProcess via, String room) {
    Reply location = get(via, "/cluster/entities/room/" + room);
    if (location.status() != 200) {
      throw new AssertionError("location of room " + room + " via " + via.name() + ": " + location);
    }
    return cluster.byAddress(location.json().path("node").asText(""));
  }

  /** The addresses {@code GET /cluster} on a node lists as members (any status). */
  List<String> members(NodeProcess via) {
    Reply cluster = get(via, "/cluster");
    if (cluster.status() != 200) {
      throw new AssertionError("/cluster via " + via.name() + ": " + cluster);
    }
    List<String> addresses = new ArrayList<>();
    for (JsonNode member : cluster.json().path("members")) {
      addresses.add(member.path("address").asText());
    }
    return addresses;
  }

  private Reply send(NodeProcess node, String method, String path, String body) {
    return send(authorized(node.uri(path)), method, body);
  }

  private HttpRequest.Builder authorized(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token);
  }

  private static Reply send(HttpRequest.Builder request, String method, String body) {
    try {
      return sendAsync(request, method, body).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw e;
    }
  }

  private static CompletableFuture<Reply> sendAsync(HttpRequest.Builder request, String method, String body) {
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.header("Accept", "application/json");
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    Instant sentAt = Instant.now();
    return CLIENT
        .sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
        .thenApply(r -> new Reply(r.statusCode(), r.headers().map(), r.body(), sentAt, Instant.now()));
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
