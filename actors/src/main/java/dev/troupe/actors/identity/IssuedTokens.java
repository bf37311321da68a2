package dev.troupe.actors.identity;

/**
 * What a login or a refresh returns: a short-lived access token, seconds until it expires, the
 * single-use refresh token, and the session both belong to.
 */
public record IssuedTokens(String accessToken, long expiresIn, String refreshToken, String sessionId) {

  @Override
  public String toString() {
    return "IssuedTokens[session " + sessionId + ", expires in " + expiresIn + "s]";
  }
}
