package dev.troupe.samples.guestbook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.NodeRuntime;
import dev.troupe.persistence.TroupeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application's own entity and routes beside the built-in ones, over real HTTP: the sample
 * gets request context, problem+json errors and audit without writing any of it.
 */
class GuestbookHttpIT {

  @TempDir static Path dataDir;

  private static NodeRuntime node;
  private static String token;
  private static final HttpClient client = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void startNode() throws Exception {
    var overrides =
        ConfigFactory.parseMap(
            Map.of(
                "troupe.data-dir", dataDir.toString(),
                "troupe.http.port", 0,
                "pekko.remote.artery.canonical.port", 0,
                "troupe.cluster.management.enabled", false,
                "pekko.coordinated-shutdown.exit-jvm", false,
                "troupe.identity.admin.username", "admin",
                "troupe.identity.admin.password", "guestbook-admin-password"));
    node = NodeRuntime.start(TroupeConfig.load(overrides), List.of(new GuestbookExtension()));
    var login =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"username\":\"admin\",\"password\":\"guestbook-admin-password\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    token = json.readTree(login.body()).get("access_token").asText();
  }

  @AfterAll
  static void stopNode() throws Exception {
    node.system().terminate();
    node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
        .header("Authorization", "Bearer " + token);
  }

  private static HttpRequest.Builder postJson(String path, String body) {
    return at(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  @Test
  void signsAndReadsAGuestbookAndAuditsEverySignature() throws Exception {
    var signed =
        send(postJson("/guestbooks/party/entries", "{\"message\":\"hi\"}").header("X-Request-Id", "sign-1"));
    assertThat(signed.statusCode()).isEqualTo(200);

    JsonNode book = json.readTree(send(at("/guestbooks/party").GET()).body());
    assertThat(book.get("entries").get(0).get("message").asText()).isEqualTo("hi");
    assertThat(book.get("entries").get(0).get("author").asText()).isEqualTo("admin");

    JsonNode audit = json.readTree(send(at("/audit/guestbook/party/events").GET()).body());
    JsonNode event = audit.get("events").get(0);
    assertThat(event.get("type").asText()).isEqualTo("Signed");
    assertThat(event.get("payload").get("message").asText()).isEqualTo("hi");
    assertThat(event.get("meta").get("requestId").asText()).isEqualTo("sign-1");
  }

  @Test
  void refusedCommandsAndBadBodiesAreProblems() throws Exception {
    send(postJson("/guestbooks/closed-one/close", ""));

    var late = send(postJson("/guestbooks/closed-one/entries", "{\"message\":\"late\"}"));
    assertThat(late.statusCode()).isEqualTo(422);
    assertThat(late.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json.readTree(late.body()).get("code").asText()).isEqualTo("unprocessable");

    var malformed = send(postJson("/guestbooks/x/entries", "{\"message\":"));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json.readTree(malformed.body()).get("code").asText()).isEqualTo("malformed_json");
  }

  @Test
  void everyAccountOfTheOrgSignsButOnlyOrgAdminsClose() throws Exception {
    String org = "sample-" + UUID.randomUUID().toString().substring(0, 8);
    var created =
        send(postJson("/orgs", "{\"name\":\"" + org + "\",\"admin\":{\"username\":\"boss\",\"password\":\"boss-password\"}}"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String boss = login("boss", "boss-password", org);
    var user =
        send(as(boss, postJson("/orgs/" + org + "/users", "{\"username\":\"ann\",\"password\":\"ann-password\"}")));
    assertThat(user.statusCode()).as(user.body()).isEqualTo(201);
    String ann = login("ann", "ann-password", org);

    assertThat(send(as(ann, postJson("/guestbooks/team/entries", "{\"message\":\"from ann\"}"))).statusCode()).isEqualTo(200);
    var close = send(as(ann, postJson("/guestbooks/team/close", "")));
    assertThat(close.statusCode()).isEqualTo(403);
    assertThat(json.readTree(close.body()).get("code").asText()).isEqualTo("forbidden");
    assertThat(send(as(boss, postJson("/guestbooks/team/close", ""))).statusCode()).isEqualTo(200);
    // The org's guestbook "team" is not the system org's: tenants never share entities.
    assertThat(json.readTree(send(at("/guestbooks/team").GET()).body()).get("entries")).isEmpty();
  }

  private static HttpRequest.Builder as(String accessToken, HttpRequest.Builder request) {
    return request.setHeader("Authorization", "Bearer " + accessToken);
  }

  private static String login(String username, String password, String org) throws Exception {
    var login =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"username\":\"" + username + "\",\"password\":\"" + password + "\",\"org\":\"" + org + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return json.readTree(login.body()).get("access_token").asText();
  }
}
