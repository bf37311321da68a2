package dev.troupe.http.identity.browser;

import com.typesafe.config.Config;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Cookie;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.HttpCookiePair;
import org.apache.pekko.http.javadsl.model.headers.SameSite;

/**
 * The browser session's cookies (names from {@code troupe.http.browser}):
 *
 * <ul>
 *   <li>{@code troupe_session}: the access token (HttpOnly, SameSite=Lax, Path=/, Secure under
 *       TLS). Scripts cannot read it; it dies with the access token, and then the client refreshes.
 *   <li>{@code troupe_refresh}: the refresh token (HttpOnly, SameSite=Strict, Path=/auth), sent
 *       only to {@code /auth/refresh} and {@code /auth/logout}.
 *   <li>{@code troupe_csrf}: a random value scripts read and echo in {@code X-CSRF-Token} (double
 *       submit) on every state-changing request authenticated by the cookie.
 * </ul>
 */
public final class BrowserCookies {

  /** The header that echoes the CSRF cookie. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String sessionName;
  private final String refreshName;
  private final String csrfName;
  private final boolean secure;

  BrowserCookies(String sessionName, String refreshName, String csrfName, boolean secure) {
    this.sessionName = sessionName;
    this.refreshName = refreshName;
    this.csrfName = csrfName;
    this.secure = secure;
  }

  public static BrowserCookies from(ActorSystem<?> system) {
    Config http = system.settings().config().getConfig("troupe.http");
    Config browser = http.getConfig("browser");
    return new BrowserCookies(
        browser.getString("session-cookie"),
        browser.getString("refresh-cookie"),
        browser.getString("csrf-cookie"),
        secure(browser.getString("secure-cookies"), http.getString("tls.mode")));
  }

  /**
   * Whether cookies carry {@code Secure}: {@code on} always (TLS ends at a proxy in front of the
   * node), {@code off} never, {@code auto} when this node serves TLS.
   */
  static boolean secure(String setting, String tlsMode) {
    return switch (setting) {
      case "on" -> true;
      case "off" -> false;
      case "auto" -> !"off".equalsIgnoreCase(tlsMode);
      default ->
          throw new IllegalArgumentException(
              "troupe.http.browser.secure-cookies must be auto, on or off, not " + setting);
    };
  }

  /** The three cookies a cookie-mode login or refresh sets. */
  public List<HttpCookie> issued(String accessToken, long expiresIn, String refreshToken, String csrf) {
    return List.of(
        HttpCookie.create(sessionName, accessToken)
            .withHttpOnly(true)
            .withSecure(secure)
            .withSameSite(SameSite.Lax)
            .withPath("/")
            .withMaxAge(Math.max(1, expiresIn)),
        HttpCookie.create(refreshName, refreshToken)
            .withHttpOnly(true)
            .withSecure(secure)
            .withSameSite(SameSite.Strict)
            .withPath("/auth"),
        HttpCookie.create(csrfName, csrf).withSecure(secure).withSameSite(SameSite.Strict).withPath("/"));
  }

  /** Cookies that delete the three (same names and paths, expired). */
  public List<HttpCookie> cleared() {
    return List.of(
        HttpCookie.create(sessionName, "deleted").withPath("/").withMaxAge(0).withSecure(secure).withHttpOnly(true),
        HttpCookie.create(refreshName, "deleted").withPath("/auth").withMaxAge(0).withSecure(secure).withHttpOnly(true),
        HttpCookie.create(csrfName, "deleted").withPath("/").withMaxAge(0).withSecure(secure));
  }

  /** A fresh CSRF value (256 random bits). */
  public static String newCsrf() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public Optional<String> session(HttpRequest request) {
    return cookie(request, sessionName);
  }

  public Optional<String> refresh(HttpRequest request) {
    return cookie(request, refreshName);
  }

  /**
   * Whether the request's {@code X-CSRF-Token} equals its CSRF cookie (both present, compared in
   * constant time).
   */
  public boolean csrfMatches(HttpRequest request) {
    Optional<String> cookie = cookie(request, csrfName);
    Optional<String> header = request.getHeader(CSRF_HEADER).map(h -> h.value().trim());
    if (cookie.isEmpty() || header.isEmpty() || cookie.get().isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        cookie.get().getBytes(StandardCharsets.UTF_8), header.get().getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> cookie(HttpRequest request, String name) {
    for (var header : request.getHeaders()) {
      if (header instanceof Cookie cookie) {
        for (HttpCookiePair pair : cookie.getCookies()) {
          if (pair.name().equals(name) && !pair.value().isEmpty()) {
            return Optional.of(pair.value());
          }
        }
      }
    }
    return Optional.empty();
  }
}
