package dev.troupe.http.identity.browser;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Bodies of the cookie mode of login and refresh. */
public final class BrowserJson {

  private BrowserJson() {}

  /** {@code POST /auth/login}: the usual fields plus {@code "cookie": true} for cookie mode. */
  public record LoginBody(String username, String password, String org, String device, Boolean cookie) {

    public boolean cookieMode() {
      return Boolean.TRUE.equals(cookie);
    }

    @Override
    public String toString() {
      return "LoginBody[" + username + "@" + org + ", cookie=" + cookie + "]";
    }
  }

  /**
   * The answer of a cookie-mode login or refresh: no token (they are in HttpOnly cookies), the
   * access token's lifetime (refresh before it ends), the CSRF value (also in its cookie) and the
   * session id.
   */
  public record CookieSession(
      @JsonProperty("token_type") String tokenType,
      @JsonProperty("expires_in") long expiresIn,
      @JsonProperty("csrf_token") String csrfToken,
      @JsonProperty("session_id") String sessionId) {

    public static CookieSession of(long expiresIn, String csrf, String sessionId) {
      return new CookieSession("cookie", expiresIn, csrf, sessionId);
    }

    @Override
    public String toString() {
      return "CookieSession[session " + sessionId + "]";
    }
  }
}
