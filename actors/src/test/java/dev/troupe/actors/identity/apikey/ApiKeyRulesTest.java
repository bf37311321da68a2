package dev.troupe.actors.identity.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.Scopes;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decider: who manages keys, what a key may carry, which roles a creator may give. */
class ApiKeyRulesTest {

  private static final ApiKeySettings SETTINGS =
      new ApiKeySettings(
          Duration.ofSeconds(5), 1000, Duration.ofSeconds(30), Duration.ofMinutes(1), 10, 2, 20, 3, 3, Duration.ofDays(1),
          Duration.ofDays(30), 5);
  private static final ScopePatterns SCOPES = new ScopePatterns(List.of("GET /rooms/**"), List.of("chat-*"), List.of());

  private static final Principal SYS = new Principal("root", "system", "s0", Set.of("sys-admin"));
  private static final Principal ORG_ADMIN = new Principal("boss", "acme", "s1", Set.of("org-admin"));
  private static final Principal PROJECT_ADMIN = new Principal("pa", "acme", "s2", Set.of("project-admin:web"));
  private static final Principal PROJECT_USER = new Principal("pu", "acme", "s3", Set.of("project-user:web"));
  private static final Principal OTHER_ORG_ADMIN = new Principal("boss", "other", "s4", Set.of("org-admin"));
  private static final Principal KEY =
      new Principal("key-abc", "acme", "apikey:abc", Set.of("org-admin"), Scopes.of(List.of("* /**"), List.of(), List.of()));

  @Test
  void managers() {
    assertThat(ApiKeyRules.mayManage(SYS, "acme", "web")).isTrue();
    assertThat(ApiKeyRules.mayManage(ORG_ADMIN, "acme", "web")).isTrue();
    assertThat(ApiKeyRules.mayManage(PROJECT_ADMIN, "acme", "web")).isTrue();
    assertThat(ApiKeyRules.mayManage(PROJECT_ADMIN, "acme", "api")).as("another project").isFalse();
    assertThat(ApiKeyRules.mayManage(PROJECT_USER, "acme", "web")).isFalse();
    assertThat(ApiKeyRules.mayManage(OTHER_ORG_ADMIN, "acme", "web")).isFalse();
    assertThat(ApiKeyRules.mayManage(KEY, "acme", "web")).as("a key never manages keys").isFalse();
  }

  @Test
  void defaultRolesAreProjectUser() {
    assertThat(ApiKeyRules.roles(new NewApiKey("k", null, SCOPES, null), "web")).containsExactly("project-user:web");
    assertThat(ApiKeyRules.roles(new NewApiKey("k", List.of(), SCOPES, null), "web")).containsExactly("project-user:web");
    assertThat(ApiKeyRules.roles(new NewApiKey("k", List.of("project-user:web", "org-admin", "org-admin"), SCOPES, null), "web"))
        .containsExactly("org-admin", "project-user:web");
  }

  @Test
  void rolesBeyondTheCreator() {
    List<String> all = List.of("org-admin", "project-admin:web", "project-user:web");
    assertThat(ApiKeyRules.beyondCreator(SYS, "acme", all)).isEmpty();
    assertThat(ApiKeyRules.beyondCreator(ORG_ADMIN, "acme", all)).isEmpty();
    assertThat(ApiKeyRules.beyondCreator(PROJECT_ADMIN, "acme", all)).containsExactly("org-admin");
    assertThat(ApiKeyRules.beyondCreator(PROJECT_ADMIN, "acme", List.of("project-user:web", "project-admin:web"))).isEmpty();
    assertThat(ApiKeyRules.beyondCreator(PROJECT_USER, "acme", all)).containsExactly("org-admin", "project-admin:web");
  }

  @Test
  void validRequest() {
    assertThat(ApiKeyRules.invalid(new NewApiKey("ci", List.of("project-admin:web"), SCOPES, 3600L), "web", SETTINGS)).isEmpty();
    assertThat(ApiKeyRules.invalid(new NewApiKey("ci", null, new ScopePatterns(null, null, null), null), "web", SETTINGS)).isEmpty();
  }

  @Test
  void invalidRequests() {
    assertInvalid(new NewApiKey(null, null, SCOPES, null), "name is required");
    assertInvalid(new NewApiKey("  ", null, SCOPES, null), "name is required");
    assertInvalid(new NewApiKey("x".repeat(11), null, SCOPES, null), "longer than 10");
    assertInvalid(new NewApiKey("a\nb", null, SCOPES, null), "control");
    assertInvalid(new NewApiKey("k", List.of("sys-admin"), SCOPES, null), "role 'sys-admin'");
    assertInvalid(new NewApiKey("k", List.of("project-user:api"), SCOPES, null), "role 'project-user:api'");
    assertInvalid(new NewApiKey("k", Collections.singletonList(null), SCOPES, null), "role 'null'");
    assertInvalid(new NewApiKey("k", null, null, null), "scopes is required");
    assertInvalid(scopes(List.of("GET /a", "GET /b", "GET /c"), List.of()), "more than 2");
    assertInvalid(scopes(List.of("GET /" + "a".repeat(30)), List.of()), "at most 20");
    assertInvalid(scopes(List.of("/a"), List.of()), "malformed");
    assertInvalid(scopes(List.of("FETCH /a"), List.of()), "malformed");
    assertInvalid(scopes(List.of("GET a"), List.of()), "malformed");
    assertInvalid(scopes(List.of("GET /a b"), List.of()), "malformed");
    assertInvalid(scopes(List.of(), List.of("a b")), "malformed");
    assertInvalid(scopes(List.of(), List.of("a/b")), "malformed");
    assertInvalid(scopes(Collections.singletonList(null), List.of()), "must not be null");
    assertInvalid(scopes(List.of(), Collections.singletonList(null)), "must not be null");
    assertInvalid(scopes(List.of(" "), List.of()), "must not be null or blank");
    assertInvalid(scopes(List.of("GET /*a*b*c*d"), List.of()), "at most 3 wildcards");
    assertInvalid(scopes(List.of(), List.of("a*b*c*d*")), "at most 3 wildcards");
    assertThat(ApiKeyRules.invalid(scopes(List.of("GET /**/a*b*"), List.of("x***")), "web", SETTINGS)).isEmpty();
    assertInvalid(new NewApiKey("k", null, SCOPES, 0L), "expires_in");
    assertInvalid(new NewApiKey("k", null, SCOPES, 86_401L), "expires_in");
  }

  private static NewApiKey scopes(List<String> routes, List<String> rooms) {
    return new NewApiKey("k", null, new ScopePatterns(routes, rooms, List.of()), null);
  }

  private static void assertInvalid(NewApiKey request, String contains) {
    assertThat(ApiKeyRules.invalid(request, "web", SETTINGS)).hasValueSatisfying(m -> assertThat(m).contains(contains));
  }
}
