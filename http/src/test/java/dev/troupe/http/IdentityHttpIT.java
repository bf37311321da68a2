package dev.troupe.http;

import static dev.troupe.http.ItSupport.assertProblem;
import static dev.troupe.http.ItSupport.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity over real HTTP against one node: tenancy, accounts, login, refresh, sessions, roles, and
 * the audit of it all, with the refusals an attacker or a confused client meets.
 */
class IdentityHttpIT {

  @TempDir static Path dataDir;

  private static NodeRuntime node;
  private static TestHttp anonymous;
  private static TestHttp admin;

  @BeforeAll
  static void startNode() throws Exception {
    // Short back-off so the lockout test does not wait; production defaults are minutes.
    node =
        TestNodes.h2(
            dataDir,
            ConfigFactory.parseMap(
                Map.of(
                    "troupe.identity.login.free-attempts", 2,
                    "troupe.identity.login.max-failures", 4,
                    "troupe.identity.login.backoff-base", "200ms",
                    "troupe.identity.login.lock-duration", "1h")));
    anonymous = new TestHttp(node.httpPort());
    admin = anonymous.asAdmin();
  }

  @AfterAll
  static void stopNode() throws Exception {
    ItSupport.stop(node);
  }

  /** An org with an org-admin, a project {@code web}, and a plain user; answers the names. */
  private record Org(String name, TestHttp orgAdmin, String user) {}

  private static Org newOrg(String prefix) {
    String name = uniqueId(prefix);
    TestHttp.Response created =
        admin.postJson(
            "/orgs",
            "{\"name\":\"" + name + "\",\"display_name\":\"Acme Inc.\","
                + "\"admin\":{\"username\":\"boss\",\"password\":\"boss-password\"}}");
    assertThat(created.status()).as("%s", created).isEqualTo(201);
    TestHttp orgAdmin = anonymous.loggedIn("boss", "boss-password", name);
    assertThat(orgAdmin.postJson("/orgs/" + name + "/projects", "{\"name\":\"web\"}").status()).isEqualTo(201);
    assertThat(
            orgAdmin.postJson("/orgs/" + name + "/users", "{\"username\":\"ann\",\"password\":\"ann-password\"}").status())
        .isEqualTo(201);
    return new Org(name, orgAdmin, "ann");
  }

  @Test
  void loginAnswersTheTokenContractAndTheTokenOpensRoutes() {
    TestHttp.Response login = anonymous.login(TestNodes.ADMIN_USER, TestNodes.ADMIN_PASSWORD, null);

    assertThat(login.status()).isEqualTo(200);
    JsonNode body = login.json();
    assertThat(ItSupport.fieldNames(body))
        .containsExactlyInAnyOrder("access_token", "token_type", "expires_in", "refresh_token", "session_id");
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(body.get("expires_in").asLong()).isBetween(1L, 300L);
    assertThat(login.header("Cache-Control").orElse("")).contains("no-store");
    TestHttp.Response orgs = anonymous.as(body.get("access_token").asText()).get("/orgs/system");
    assertThat(orgs.status()).as("%s", orgs).isEqualTo(200);
  }

  @Test
  void wrongAndMissingCredentialsAre401AndNoTokenIs401() {
    assertProblem(anonymous.login(TestNodes.ADMIN_USER, "not-the-password", null), 401, "unauthenticated");
    assertProblem(anonymous.login("nobody-" + uniqueId("x"), "whatever-password", null), 401, "unauthenticated");
    assertProblem(anonymous.login("Bad Name!", "whatever-password", null), 401, "unauthenticated");
    assertProblem(anonymous.postJson("/auth/login", "{}"), 401, "unauthenticated");
    assertProblem(anonymous.postJson("/auth/login", "{not json"), 400, "malformed_json");

    TestHttp.Response noToken = anonymous.get("/orgs/system");
    assertProblem(noToken, 401, "unauthenticated");
    assertThat(noToken.header("WWW-Authenticate").orElse("")).startsWith("Bearer");
    assertProblem(anonymous.get("/orgs/system", "Authorization", "Basic YWRtaW46YWRtaW4="), 401, "unauthenticated");
    assertProblem(anonymous.as("garbage").get("/orgs/system"), 401, "unauthenticated");
  }

  @Test
  void aLoginForAnUnknownUserPersistsNothing() {
    Org org = newOrg("ghosts");
    int orgEventsBefore = auditEvents(org.orgAdmin(), "org", org.name()).size();

    assertProblem(anonymous.login("ghost", "ghost-password", org.name()), 401, "unauthenticated");

    assertThat(auditEvents(org.orgAdmin(), "account", "ghost")).isEmpty();
    assertThat(auditEvents(org.orgAdmin(), "org", org.name())).hasSize(orgEventsBefore);
  }

  @Test
  void repeatedFailuresBackOffThenLockEvenTheRightPassword() {
    Org org = newOrg("brute");
    List<Integer> statuses = new ArrayList<>();
    // Wrong passwords until the account is locked (429 with a long Retry-After); answers during a
    // short back-off are 429 too, without counting as failures.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              TestHttp.Response attempt = anonymous.login(org.user(), "wrong-password", org.name());
              statuses.add(attempt.status());
              return attempt.status() == 429
                  && Long.parseLong(attempt.header("Retry-After").orElse("0")) > 60;
            });
    assertThat(statuses.subList(0, 3)).containsOnly(401);
    assertThat(statuses).containsOnly(401, 429);

    TestHttp.Response right = anonymous.login(org.user(), "ann-password", org.name());
    assertProblem(right, 429, "too_many_requests");
    assertThat(Long.parseLong(right.header("Retry-After").orElseThrow())).isGreaterThan(60);
    List<String> types = auditEvents(org.orgAdmin(), "account", org.user()).stream().map(e -> e.get("type").asText()).toList();
    assertThat(types).contains("LoginFailed");
  }

  @Test
  void parallelGuessesCannotOutrunTheLockout() throws Exception {
    Org org = newOrg("burst");
    ExecutorService clients = Executors.newFixedThreadPool(12);
    List<Integer> statuses = new ArrayList<>();
    try {
      List<Future<TestHttp.Response>> burst = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        burst.add(clients.submit(() -> anonymous.login(org.user(), "wrong-password", org.name())));
      }
      for (Future<TestHttp.Response> response : burst) {
        statuses.add(response.get().status());
      }
    } finally {
      clients.shutdownNow();
    }

    // Only one password check runs at a time per account, so at most max-failures (4) guesses
    // were checked (401); the rest were turned away (429) without a check.
    assertThat(statuses).containsOnly(401, 429);
    assertThat(statuses.stream().filter(s -> s == 401).count()).isBetween(1L, 4L);
  }

  @Test
  void refreshRotatesAndReuseOfAnOldRefreshTokenRevokesTheSession() {
    Org org = newOrg("refresh");
    JsonNode first = anonymous.login(org.user(), "ann-password", org.name()).json();
    TestHttp.Response second = anonymous.postJson("/auth/refresh", refreshBody(first));
    assertThat(second.status()).as("%s", second).isEqualTo(200);
    assertThat(second.json().get("session_id").asText()).isEqualTo(first.get("session_id").asText());
    assertThat(second.json().get("refresh_token").asText()).isNotEqualTo(first.get("refresh_token").asText());
    TestHttp user = anonymous.as(second.json().get("access_token").asText());
    assertThat(user.get("/sessions").status()).isEqualTo(200);

    assertProblem(anonymous.postJson("/auth/refresh", refreshBody(first)), 401, "unauthenticated");

    assertProblem(user.get("/sessions"), 401, "unauthenticated");
    assertProblem(anonymous.postJson("/auth/refresh", refreshBody(second.json())), 401, "unauthenticated");
    assertProblem(anonymous.postJson("/auth/refresh", "{\"refresh_token\":\"forged~token~value\"}"), 401, "unauthenticated");
  }

  @Test
  void logoutEndsTheSession() {
    Org org = newOrg("logout");
    TestHttp user = anonymous.loggedIn(org.user(), "ann-password", org.name());
    assertThat(user.get("/sessions").status()).isEqualTo(200);

    assertThat(user.postJson("/auth/logout", "{}").status()).isEqualTo(204);

    assertProblem(user.get("/sessions"), 401, "unauthenticated");
  }

  @Test
  void sessionsListOwnSessionsAndEndThem() {
    Org org = newOrg("sessions");
    TestHttp phone =
        anonymous.as(
            anonymous
                .postJson(
                    "/auth/login",
                    "{\"username\":\"ann\",\"password\":\"ann-password\",\"org\":\"" + org.name() + "\",\"device\":\"phone\"}",
                    "User-Agent", "PhoneApp/1.0")
                .json()
                .get("access_token")
                .asText());
    TestHttp laptop = anonymous.loggedIn(org.user(), "ann-password", org.name());

    JsonNode sessions = phone.get("/sessions").json().get("sessions");
    assertThat(sessions).hasSize(2);
    JsonNode phoneSession = null;
    for (JsonNode session : sessions) {
      assertThat(ItSupport.fieldNames(session))
          .contains("session_id", "device", "ip", "user_agent", "created", "last_seen", "current");
      if (session.get("current").asBoolean()) {
        phoneSession = session;
      }
    }
    assertThat(phoneSession).isNotNull();
    assertThat(phoneSession.get("device").asText()).isEqualTo("phone");
    assertThat(phoneSession.get("user_agent").asText()).isEqualTo("PhoneApp/1.0");
    assertThat(phoneSession.get("ip").asText()).isEqualTo("127.0.0.1");

    // Another user's session id is not found, whether it exists or not.
    String adminSession = anonymous.login(TestNodes.ADMIN_USER, TestNodes.ADMIN_PASSWORD, null).json().get("session_id").asText();
    assertProblem(phone.send("DELETE", "/sessions/" + adminSession, null, null), 404, "not_found");
    assertProblem(phone.send("DELETE", "/sessions/no-such-session", null, null), 404, "not_found");

    String laptopId = null;
    for (JsonNode session : sessions) {
      if (!session.get("current").asBoolean()) {
        laptopId = session.get("session_id").asText();
      }
    }
    assertThat(phone.send("DELETE", "/sessions/" + laptopId, null, null).status()).isEqualTo(204);
    assertProblem(laptop.get("/sessions"), 401, "unauthenticated");
    assertThat(phone.get("/sessions").json().get("sessions")).hasSize(1);

    assertThat(phone.send("DELETE", "/sessions", null, null).status()).isEqualTo(204);
    assertProblem(phone.get("/sessions"), 401, "unauthenticated");
  }

  @Test
  void anotherOrgIs404AndOnlySysAdminsCreateOrgs() {
    Org acme = newOrg("acme");
    Org globex = newOrg("globex");

    assertProblem(acme.orgAdmin().get("/orgs/" + globex.name()), 404, "not_found");
    assertProblem(acme.orgAdmin().get("/orgs/no-such-org"), 404, "not_found");
    assertProblem(acme.orgAdmin().postJson("/orgs/" + globex.name() + "/projects", "{\"name\":\"x\"}"), 404, "not_found");
    assertProblem(acme.orgAdmin().postJson("/orgs/" + globex.name() + "/users", "{\"username\":\"x\",\"password\":\"x-password\"}"), 404, "not_found");
    assertProblem(acme.orgAdmin().get("/orgs/" + globex.name() + "/users/ann"), 404, "not_found");
    assertProblem(acme.orgAdmin().putJson("/orgs/" + globex.name() + "/projects/web/members/ann", "{\"roles\":[\"project-admin\"]}"), 404, "not_found");
    assertProblem(acme.orgAdmin().postJson("/orgs", "{\"name\":\"" + uniqueId("mine") + "\"}"), 403, "forbidden");
    assertProblem(admin.postJson("/orgs", "{\"name\":\"system\"}"), 400, "invalid_request");
    assertProblem(admin.postJson("/orgs", "{\"name\":\"Not Valid\"}"), 400, "invalid_request");
    assertProblem(admin.postJson("/orgs", "{\"name\":\"" + acme.name() + "\"}"), 409, "conflict");

    JsonNode seen = admin.get("/orgs/" + acme.name()).json();
    assertThat(seen.get("projects")).extracting(JsonNode::asText).containsExactly("web");
    assertThat(seen.get("display_name").asText()).isEqualTo("Acme Inc.");
  }

  @Test
  void membersAreManagedByAdminsAndAProjectUserCannotEscalate() {
    Org org = newOrg("members");
    String base = "/orgs/" + org.name() + "/projects/web/members/";
    assertThat(org.orgAdmin().putJson(base + "ann", "{\"roles\":[\"project-user\"]}").status()).isEqualTo(200);
    TestHttp ann = anonymous.loggedIn("ann", "ann-password", org.name());

    assertProblem(ann.putJson(base + "ann", "{\"roles\":[\"project-admin\"]}"), 403, "forbidden");
    assertProblem(ann.postJson("/orgs/" + org.name() + "/users", "{\"username\":\"eve\",\"password\":\"eve-password\",\"roles\":[\"org-admin\"]}"), 403, "forbidden");
    assertProblem(ann.postJson("/orgs/" + org.name() + "/projects", "{\"name\":\"mine\"}"), 403, "forbidden");
    JsonNode roles = org.orgAdmin().get("/orgs/" + org.name() + "/users/ann").json().get("projects").get("web");
    assertThat(roles).extracting(JsonNode::asText).containsExactly("project-user");

    assertProblem(org.orgAdmin().putJson(base + "ann", "{\"roles\":[\"org-admin\"]}"), 400, "invalid_request");
    assertProblem(org.orgAdmin().putJson(base + "nobody", "{\"roles\":[\"project-user\"]}"), 404, "not_found");
    assertProblem(org.orgAdmin().putJson("/orgs/" + org.name() + "/projects/nope/members/ann", "{\"roles\":[\"project-user\"]}"), 404, "not_found");
    assertProblem(org.orgAdmin().putJson(base + "ann", "{\"roles\":"), 400, "malformed_json");
    assertProblem(org.orgAdmin().putJson(base + "ann", "{\"roles\":[null]}"), 400, "invalid_request");
    assertProblem(org.orgAdmin().postJson("/orgs/" + org.name() + "/users", "{\"username\":\"x\",\"password\":\"x-password\",\"roles\":[null]}"), 400, "invalid_request");

    // A project-admin manages its project's members, and its token says so after a refresh.
    assertThat(org.orgAdmin().putJson(base + "ann", "{\"roles\":[\"project-admin\"]}").status()).isEqualTo(200);
    TestHttp annAdmin = anonymous.loggedIn("ann", "ann-password", org.name());
    assertThat(org.orgAdmin().postJson("/orgs/" + org.name() + "/users", "{\"username\":\"bob\",\"password\":\"bob-password\"}").status()).isEqualTo(201);
    assertThat(annAdmin.putJson(base + "bob", "{\"roles\":[\"project-user\"]}").status()).isEqualTo(200);
    assertThat(annAdmin.send("DELETE", base + "bob", null, null).status()).isEqualTo(204);
    assertThat(org.orgAdmin().get("/orgs/" + org.name() + "/users/bob").json().get("projects").has("web")).isFalse();
  }

  @Test
  void passwordsChangeAndDisabledAccountsCannotLogIn() {
    Org org = newOrg("accounts");
    String user = "/orgs/" + org.name() + "/users/ann";
    TestHttp ann = anonymous.loggedIn("ann", "ann-password", org.name());
    TestHttp annElsewhere = anonymous.loggedIn("ann", "ann-password", org.name());

    assertProblem(ann.putJson(user + "/password", "{\"current_password\":\"wrong-password\",\"new_password\":\"new-ann-password\"}"), 403, "forbidden");
    assertProblem(ann.putJson(user + "/password", "{\"current_password\":\"ann-password\",\"new_password\":\"short\"}"), 400, "invalid_request");
    assertThat(ann.putJson(user + "/password", "{\"current_password\":\"ann-password\",\"new_password\":\"new-ann-password\"}").status()).isEqualTo(204);
    assertThat(ann.get("/sessions").status()).isEqualTo(200);
    assertProblem(annElsewhere.get("/sessions"), 401, "unauthenticated");
    assertProblem(anonymous.login("ann", "ann-password", org.name()), 401, "unauthenticated");

    assertProblem(ann.putJson(user + "/password", "{\"new_password\":\"another-password\"}"), 400, "invalid_request");
    assertProblem(ann.postJson(user + "/disable", "{}"), 403, "forbidden");
    assertThat(org.orgAdmin().postJson(user + "/disable", "{}").status()).isEqualTo(204);
    assertProblem(ann.get("/sessions"), 401, "unauthenticated");
    assertProblem(anonymous.login("ann", "new-ann-password", org.name()), 401, "unauthenticated");
    assertThat(org.orgAdmin().postJson(user + "/enable", "{}").status()).isEqualTo(204);
    assertThat(anonymous.login("ann", "new-ann-password", org.name()).status()).isEqualTo(200);
  }

  @Test
  void auditIsForAdminsAndRedactsSecrets() {
    Org org = newOrg("audit");
    TestHttp ann = anonymous.loggedIn("ann", "ann-password", org.name());
    assertProblem(ann.get("/audit/account/ann/events"), 403, "forbidden");
    assertProblem(ann.get("/cluster"), 403, "forbidden");
    assertProblem(org.orgAdmin().get("/audit/org/" + org.name() + "/events?org=system"), 404, "not_found");

    List<JsonNode> events = auditEvents(org.orgAdmin(), "account", "ann");
    List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
    assertThat(types).contains("Created", "LoggedIn");
    String all = events.toString();
    assertThat(all).doesNotContain("$argon2").doesNotContain("ann-password");
    // The sys-admin reads any org's audit by naming it.
    assertThat(admin.get("/audit/account/ann/events?org=" + org.name()).json().get("events").size()).isEqualTo(events.size());
    // Key rotations are audited in the system org.
    assertThat(admin.get("/audit/signing-keys/jwt/events").json().get("events").size()).isGreaterThan(0);
  }

  @Test
  void anOrgAdminOfTheSystemOrgCannotMakeOrResetSysAdmins() {
    assertThat(admin.postJson("/orgs/system/users", "{\"username\":\"ops\",\"password\":\"ops-password\",\"roles\":[\"org-admin\"]}").status())
        .isEqualTo(201);
    TestHttp ops = anonymous.loggedIn("ops", "ops-password", null);

    assertProblem(ops.postJson("/orgs/system/users", "{\"username\":\"root2\",\"password\":\"root-password\",\"roles\":[\"sys-admin\"]}"), 403, "forbidden");
    assertProblem(ops.putJson("/orgs/system/users/" + TestNodes.ADMIN_USER + "/password", "{\"new_password\":\"taken-over!\"}"), 403, "forbidden");
    assertProblem(ops.postJson("/orgs/system/users/" + TestNodes.ADMIN_USER + "/disable", "{}"), 403, "forbidden");
    assertThat(anonymous.login(TestNodes.ADMIN_USER, TestNodes.ADMIN_PASSWORD, null).status()).isEqualTo(200);
  }

  @Test
  void signingKeysAuditNeverShowsPrivateKeys() {
    String events = admin.get("/audit/signing-keys/jwt/events").body();
    String state = admin.get("/audit/signing-keys/jwt/state").body();

    for (String body : List.of(events, state)) {
      assertThat(body).contains("publicJwk").doesNotContain("\\\"d\\\"").doesNotContain("\"d\":");
    }
  }

  @Test
  void jwksPublishesPublicKeysOnly() {
    TestHttp.Response jwks = anonymous.get("/.well-known/jwks.json");

    assertThat(jwks.status()).isEqualTo(200);
    JsonNode keys = jwks.json().get("keys");
    assertThat(keys.size()).isGreaterThan(0);
    for (JsonNode key : keys) {
      assertThat(key.has("kid")).isTrue();
      assertThat(key.has("d")).as("private part of %s", key).isFalse();
    }
  }

  private static String refreshBody(JsonNode tokens) {
    return "{\"refresh_token\":\"" + tokens.get("refresh_token").asText() + "\"}";
  }

  private static List<JsonNode> auditEvents(TestHttp as, String type, String id) {
    TestHttp.Response page = as.get("/audit/" + type + "/" + id + "/events?limit=1000");
    assertThat(page.status()).as("%s", page).isEqualTo(200);
    List<JsonNode> events = new ArrayList<>();
    page.json().get("events").forEach(events::add);
    return events;
  }
}
