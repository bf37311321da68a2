package dev.troupe.actors.identity;

import dev.troupe.actors.identity.token.TokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Pairs a fresh access token with a refresh token into what a login or refresh answers. */
final class AccessTokens {

  private final TokenIssuer issuer;
  private final Duration ttl;
  private final Clock clock;

  AccessTokens(TokenIssuer issuer, Duration ttl, Clock clock) {
    this.issuer = issuer;
    this.ttl = ttl;
    this.clock = clock;
  }

  IssuedTokens issue(Principal principal, Instant notAfter, String refreshToken) {
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    if (notAfter != null && notAfter.isBefore(expires)) {
      expires = notAfter;
    }
    String token = issuer.issue(principal, now, expires);
    long expiresIn = Math.max(0, Duration.between(now, expires).toSeconds());
    return new IssuedTokens(token, expiresIn, refreshToken, principal.sessionId());
  }
}
