package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.http.testkit.TestHttp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A browser-like login in cookie mode: keeps the cookies the server set and sends them back. */
final class CookieSession {

  final TestHttp http;
  final Map<String, String> cookies = new LinkedHashMap<>();
  final TestHttp.Response login;

  private CookieSession(TestHttp anonymous, TestHttp.Response login) {
    this.http = anonymous.withoutToken();
    this.login = login;
    keep(login);
  }

  /** Logs in with {@code "cookie": true}; asserts 200. */
  static CookieSession login(TestHttp anonymous, String user, String password, String org) {
    TestHttp.Response login =
        anonymous
            .withoutToken()
            .postJson(
                "/auth/login",
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"org\":\"" + org + "\",\"cookie\":true}");
    assertThat(login.status()).as("%s", login).isEqualTo(200);
    return new CookieSession(anonymous, login);
  }

  /** Remembers (or forgets, for Max-Age=0) the cookies a response sets. */
  void keep(TestHttp.Response response) {
    for (String header : setCookies(response)) {
      String pair = header.split(";", 2)[0];
      int eq = pair.indexOf('=');
      String name = pair.substring(0, eq).trim();
      if (header.contains("Max-Age=0")) {
        cookies.remove(name);
      } else {
        cookies.put(name, pair.substring(eq + 1).trim());
      }
    }
  }

  static List<String> setCookies(TestHttp.Response response) {
    return response.headers().allValues("Set-Cookie");
  }

  String cookieHeader() {
    StringBuilder header = new StringBuilder();
    cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=').append(value));
    return header.toString();
  }

  String csrf() {
    return cookies.get("troupe_csrf");
  }

  TestHttp.Response get(String path) {
    return http.get(path, "Cookie", cookieHeader());
  }

  /** A POST with the cookies and the CSRF echo. */
  TestHttp.Response post(String path, String json) {
    TestHttp.Response response = http.postJson(path, json, "Cookie", cookieHeader(), "X-CSRF-Token", csrf());
    keep(response);
    return response;
  }

  /** A POST with the cookies and the given extra headers (e.g. a wrong or no CSRF token). */
  TestHttp.Response postWith(String path, String json, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Cookie";
    all[1] = cookieHeader();
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.postJson(path, json, all);
  }

  /** A fresh ticket (asserts 200). */
  String ticket() {
    TestHttp.Response response = post("/auth/ws-ticket", "{}");
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    return response.json().path("ticket").asText();
  }
}
