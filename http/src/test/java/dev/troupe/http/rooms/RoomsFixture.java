package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import dev.troupe.http.NodeRuntime;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One test node for the rooms ITs and what they share: orgs with an admin ({@code boss}) and two
 * members ({@code ann}, {@code bob}), logged in; room names no other test uses.
 */
final class RoomsFixture {

  /** An org and its logged-in people: clients with their tokens (for WebSockets). */
  record Tenant(String org, TestHttp boss, String bossToken, TestHttp ann, String annToken, TestHttp bob, String bobToken) {}

  final NodeRuntime node;
  final TestHttp anonymous;
  final TestHttp admin;

  private RoomsFixture(NodeRuntime node) {
    this.node = node;
    this.anonymous = new TestHttp(node.httpPort());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(anonymous.get("/health/ready").status()).isEqualTo(200));
    this.admin = anonymous.asAdmin();
  }

  static RoomsFixture h2(Path dataDir, Config config) throws Exception {
    return new RoomsFixture(TestNodes.h2(dataDir, config));
  }

  static RoomsFixture on(NodeRuntime node) {
    return new RoomsFixture(node);
  }

  int port() {
    return node.httpPort();
  }

  /** A new org with boss (org-admin), ann and bob (members), all logged in. */
  Tenant tenant(String prefix) {
    String org = unique(prefix);
    TestHttp.Response created =
        admin.postJson(
            "/orgs",
            "{\"name\":\"" + org + "\",\"admin\":{\"username\":\"boss\",\"password\":\"boss-password\"}}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    String bossToken = token("boss", "boss-password", org);
    TestHttp boss = anonymous.as(bossToken);
    for (String user : new String[] {"ann", "bob"}) {
      TestHttp.Response added =
          boss.postJson(
              "/orgs/" + org + "/users", "{\"username\":\"" + user + "\",\"password\":\"" + user + "-password\"}");
      assertThat(added.status()).as("%s", added).isEqualTo(201);
    }
    String annToken = token("ann", "ann-password", org);
    String bobToken = token("bob", "bob-password", org);
    return new Tenant(org, boss, bossToken, anonymous.as(annToken), annToken, anonymous.as(bobToken), bobToken);
  }

  private String token(String user, String password, String org) {
    TestHttp.Response login = anonymous.login(user, password, org);
    assertThat(login.status()).as("%s", login).isEqualTo(200);
    return login.json().get("access_token").asText();
  }

  /** Creates a room (201) with the settings body and answers its name. */
  static String room(Tenant tenant, String settings) {
    String room = unique("room");
    TestHttp.Response created = tenant.boss().putJson("/rooms/" + room, settings);
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    return room;
  }

  static String room(Tenant tenant) {
    return room(tenant, "{}");
  }

  /** Posts a message as the client; asserts 201 and answers the body. */
  static JsonNode post(TestHttp who, String room, String body) {
    TestHttp.Response posted = who.postJson("/rooms/" + room + "/messages", body);
    assertThat(posted.status()).as("%s", posted).isEqualTo(201);
    return posted.json();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static void assertProblem(TestHttp.Response response, int status, String code) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
    assertThat(response.contentType()).as("%s", response).startsWith("application/problem+json");
    assertThat(response.json().path("code").asText()).as("%s", response).isEqualTo(code);
  }

  /** Stops the node and waits until it has. */
  void close() throws Exception {
    node.system().terminate();
    node.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
