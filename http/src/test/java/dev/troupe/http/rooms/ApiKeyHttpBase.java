package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.TestHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node with an org, projects {@code web} and {@code api}, ann as {@code web}'s project-admin, and
 * the helpers the API key tests share. Each test class starts its own node.
 */
abstract class ApiKeyHttpBase {

  static final Duration WAIT = Duration.ofSeconds(15);
  static final int MAX_KEYS = 40;

  @TempDir static Path dataDir;

  static RoomsFixture fixture;
  static RoomsFixture.Tenant t;
  static TestHttp annAdmin;
  static String keysPath;

  @BeforeAll
  static void start() throws Exception {
    fixture = RoomsFixture.h2(dataDir, ConfigFactory.parseString("troupe.identity.api-keys.max-keys-per-project = " + MAX_KEYS));
    t = fixture.tenant("keys");
    assertThat(t.boss().postJson("/orgs/" + t.org() + "/projects", "{\"name\":\"web\"}").status()).isEqualTo(201);
    assertThat(t.boss().postJson("/orgs/" + t.org() + "/projects", "{\"name\":\"api\"}").status()).isEqualTo(201);
    TestHttp.Response member =
        t.boss().putJson("/orgs/" + t.org() + "/projects/web/members/ann", "{\"roles\":[\"project-admin\"]}");
    assertThat(member.status()).as("%s", member).isEqualTo(200);
    // ann's new role is in the tokens of her next login
    TestHttp.Response login = fixture.anonymous.login("ann", "ann-password", t.org());
    assertThat(login.status()).isEqualTo(200);
    annAdmin = fixture.anonymous.as(login.json().get("access_token").asText());
    keysPath = "/orgs/" + t.org() + "/projects/web/api-keys";
  }

  @AfterAll
  static void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  static String body(String name, String roles, String routes, String rooms, String namespaces, String extra) {
    return "{\"name\":\"" + name + "\""
        + (roles == null ? "" : ",\"roles\":" + roles)
        + ",\"scopes\":{\"routes\":" + routes + ",\"rooms\":" + rooms + ",\"namespaces\":" + namespaces + "}"
        + (extra == null ? "" : "," + extra)
        + "}";
  }

  /** Creates a key as boss (201) and answers the create response. */
  static JsonNode create(String body) {
    TestHttp.Response created = t.boss().postJson(keysPath, body);
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    return created.json();
  }

  static TestHttp.Response withKey(String key, String method, String path, String contentType, String body) {
    List<String> headers = new ArrayList<>(List.of("Authorization", "ApiKey " + key));
    return fixture.anonymous.send(method, path, contentType, body, headers.toArray(String[]::new));
  }

  static TestHttp.Response get(String key, String path) {
    return withKey(key, "GET", path, null, null);
  }

  static JsonNode listed(String id) {
    TestHttp.Response list = t.boss().get(keysPath);
    assertThat(list.status()).as("%s", list).isEqualTo(200);
    for (JsonNode k : list.json().path("api_keys")) {
      if (k.path("id").asText().equals(id)) {
        return k;
      }
    }
    throw new AssertionError("key " + id + " not listed: " + list.body());
  }

  static String roomsKey() {
    return create(
            body(
                "rooms-bot", null,
                "[\"GET /rooms\",\"GET /rooms/**\",\"POST /rooms/*/messages\",\"GET /ws\"]",
                "[\"chat-*\"]", "[]", null))
        .path("key")
        .asText();
  }

  // ---------------------------------------------------------------- tests
}
