package dev.troupe.actors.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeGlobsTest {

  @Test
  void singleStarStaysWithinOneSegment() {
    List<String> routes = List.of("GET /rooms/*/messages");
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/chat/messages")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms//messages")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/a/b/messages")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/chat/messages/x")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/chat")).isFalse();
  }

  @Test
  void doubleStarCrossesSegments() {
    List<String> routes = List.of("GET /cache/**");
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/cache/ns/key")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/cache/")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/cache")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/cachex/ns")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/other/cache/ns")).isFalse();
  }

  @Test
  void methodMustMatchUnlessStar() {
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /a"), "GET", "/a")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("get /a"), "GET", "/a")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /a"), "POST", "/a")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("* /a"), "DELETE", "/a")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("/a"), "GET", "/a")).as("no method").isFalse();
  }

  @Test
  void anyOfSeveralPatterns() {
    List<String> routes = List.of("GET /health", "POST /rooms/*/messages");
    assertThat(ScopeGlobs.anyRouteMatches(routes, "POST", "/rooms/x/messages")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/x/messages")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(List.of(), "GET", "/health")).isFalse();
  }

  @Test
  void regexCharactersAreLiterals() {
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /a.b"), "GET", "/axb")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /a.b"), "GET", "/a.b")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(List.of("a+"), "aa")).isFalse();
    assertThat(ScopeGlobs.anyNameMatches(List.of("(a|b)"), "a")).isFalse();
    assertThat(ScopeGlobs.anyNameMatches(List.of("\\Q"), "\\Q")).isTrue();
  }

  @Test
  void dotSegmentsNeverMatch() {
    List<String> routes = List.of("GET /rooms/**");
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/../cache/ns/k")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/./x")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/x\\..\\y")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "rooms/x")).as("relative").isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(routes, "GET", "/rooms/a..b")).isTrue();
  }

  @Test
  void nameGlobs() {
    List<String> rooms = List.of("chat-*", "ops");
    assertThat(ScopeGlobs.anyNameMatches(rooms, "chat-1")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(rooms, "chat-")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(rooms, "ops")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(rooms, "ops2")).isFalse();
    assertThat(ScopeGlobs.anyNameMatches(rooms, "xchat-1")).isFalse();
    assertThat(ScopeGlobs.anyNameMatches(List.of("*"), "anything")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(List.of(), "anything")).isFalse();
    assertThat(ScopeGlobs.anyNameMatches(rooms, null)).isFalse();
  }

  @Test
  void scopesUseTheGlobsOnlyWhenRestricted() {
    assertThat(Scopes.UNRESTRICTED.allowsRoute("GET", "/anything")).isTrue();
    assertThat(Scopes.UNRESTRICTED.allowsRoom("x")).isTrue();
    assertThat(Scopes.UNRESTRICTED.allowsNamespace("x")).isTrue();
    Scopes scopes = Scopes.of(List.of("GET /rooms/**"), List.of("chat-*"), List.of("orders"));
    assertThat(scopes.allowsRoute("GET", "/rooms/chat-1/messages")).isTrue();
    assertThat(scopes.allowsRoute("GET", "/cache/orders/k")).isFalse();
    assertThat(scopes.allowsRoom("chat-1")).isTrue();
    assertThat(scopes.allowsRoom("ops")).isFalse();
    assertThat(scopes.allowsNamespace("orders")).isTrue();
    assertThat(scopes.allowsNamespace("orders2")).isFalse();
    Scopes none = Scopes.of(List.of(), List.of(), List.of());
    assertThat(none.allowsRoute("GET", "/")).isFalse();
    assertThat(none.allowsRoom("x")).isFalse();
  }

  @Test
  void pathologicalPatternsStayLinear() {
    // With the old backtracking regexes, 12 stars against a 40-character path took minutes.
    String stars = "*a".repeat(100) + "*b";
    String path = "/" + "a".repeat(2_000);
    String name = "a".repeat(2_000);
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (int i = 0; i < 20; i++) {
            assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /" + stars), "GET", path)).isFalse();
            assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /**" + "a**".repeat(100) + "b"), "GET", path)).isFalse();
            assertThat(ScopeGlobs.anyNameMatches(List.of(stars), name)).isFalse();
          }
          assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /" + stars), "GET", path + "b")).isTrue();
          assertThat(ScopeGlobs.anyNameMatches(List.of(stars), name + "b")).isTrue();
        });
  }

  @Test
  void starsMixWithLiteralsAndEachOther() {
    assertThat(ScopeGlobs.anyNameMatches(List.of("*a*b*"), "xxaxxbxx")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(List.of("*a*b*"), "xxbxxaxx")).isFalse();
    assertThat(ScopeGlobs.anyNameMatches(List.of("a*"), "")).isFalse();
    assertThat(ScopeGlobs.anyNameMatches(List.of("*"), "")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(List.of(""), "")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(List.of("ab*ab"), "abab")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(List.of("ab*ab"), "aba")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /a/*/c/**"), "GET", "/a/b/c/d/e")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /a/*/c/**"), "GET", "/a/b/x/c/d")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /**/events"), "GET", "/orgs/o/rooms/r/events")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /**/events"), "GET", "/orgs/o/rooms/r/events/x")).isFalse();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /x***y"), "GET", "/x/a/y")).as("three stars cross slashes").isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /*/**"), "GET", "/a/b/c")).isTrue();
    assertThat(ScopeGlobs.anyRouteMatches(List.of("GET /*/**"), "GET", "/a")).isFalse();
    List<String> withNull = new java.util.ArrayList<>();
    withNull.add(null);
    withNull.add("GET /a");
    assertThat(ScopeGlobs.anyRouteMatches(withNull, "GET", "/a")).isTrue();
    assertThat(ScopeGlobs.anyNameMatches(withNull, "x")).isFalse();
  }
}
