package dev.troupe.actors.identity.token;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.troupe.actors.identity.Principal;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies access tokens against the key ring. Thread-safe.
 *
 * <p>The key is found by the header's {@code kid} alone, and the header's {@code alg} must equal
 * the algorithm that key was made for: a token can never choose how it is checked (no {@code
 * alg: none}, no HMAC keyed with a public key). Unsecured JWTs and JWEs are refused outright.
 * Then {@code iss}, {@code aud}, {@code exp}, {@code nbf} and {@code iat} are checked with the
 * configured clock skew, and {@code sub}, {@code org} and {@code sid} must be present.
 */
public final class TokenVerifier {

  /** Longer inputs are refused before any parsing. */
  public static final int MAX_TOKEN_LENGTH = 8192;

  /** Most roles a token may carry. */
  public static final int MAX_ROLES = 1024;

  private final KeyRing keyRing;
  private final TokenSettings settings;

  public TokenVerifier(KeyRing keyRing, TokenSettings settings) {
    this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * The principal a token speaks for.
   *
   * @throws InvalidTokenException if the token is not acceptable at {@code now}; {@link
   *     InvalidTokenException#unknownKey()} tells the caller that refreshing the key ring and
   *     trying once more may help
   */
  public Verified verify(String token, Instant now) throws InvalidTokenException {
    if (token == null || token.isEmpty()) {
      throw new InvalidTokenException("missing token");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException("token too long");
    }
    if (dots(token) != 2) {
      // Five parts is a JWE; anything else is not a compact JWS.
      throw new InvalidTokenException("not a signed JWT");
    }
    SignedJWT jwt;
    try {
      // Refuses headers whose alg is "none" or a JWE algorithm ("Not a JWS header").
      jwt = SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      throw new InvalidTokenException("malformed token");
    }
    JWSHeader header = jwt.getHeader();
    Algorithm alg = header.getAlgorithm();
    if (alg == null || Algorithm.NONE.equals(alg)) {
      throw new InvalidTokenException("unsigned token");
    }
    String kid = header.getKeyID();
    if (kid == null || kid.isEmpty()) {
      throw new InvalidTokenException("missing kid");
    }
    KeyRing.Verification key =
        keyRing.verification(kid).orElseThrow(
            () -> new InvalidTokenException(InvalidTokenException.UNKNOWN_KID));
    if (!key.algorithm().equals(alg)) {
      throw new InvalidTokenException("algorithm does not match the key");
    }
    boolean valid;
    try {
      valid = jwt.verify(key.verifier());
    } catch (JOSEException | RuntimeException e) {
      valid = false;
    }
    if (!valid) {
      throw new InvalidTokenException("bad signature");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw new InvalidTokenException("malformed claims");
    }
    return check(claims, now);
  }

  private Verified check(JWTClaimsSet claims, Instant now) throws InvalidTokenException {
    if (!settings.issuer().equals(claims.getIssuer())) {
      throw new InvalidTokenException("wrong issuer");
    }
    List<String> audience = claims.getAudience();
    if (audience == null || !audience.contains(settings.audience())) {
      throw new InvalidTokenException("wrong audience");
    }
    Duration skew = settings.clockSkew();
    Instant expiresAt = instant(claims.getExpirationTime());
    if (expiresAt == null) {
      throw new InvalidTokenException("missing exp");
    }
    if (!expiresAt.isAfter(now.minus(skew))) {
      throw new InvalidTokenException("expired");
    }
    Instant notBefore = instant(claims.getNotBeforeTime());
    if (notBefore != null && notBefore.isAfter(now.plus(skew))) {
      throw new InvalidTokenException("not yet valid");
    }
    Instant issuedAt = instant(claims.getIssueTime());
    if (issuedAt == null) {
      throw new InvalidTokenException("missing iat");
    }
    if (issuedAt.isAfter(now.plus(skew))) {
      throw new InvalidTokenException("issued in the future");
    }
    String subject = claims.getSubject();
    String org;
    String sid;
    List<String> roles;
    try {
      org = claims.getStringClaim("org");
      sid = claims.getStringClaim("sid");
      roles = claims.getStringListClaim("roles");
    } catch (ParseException e) {
      throw new InvalidTokenException("malformed claims");
    }
    if (isEmpty(subject) || isEmpty(org) || isEmpty(sid)) {
      throw new InvalidTokenException("missing sub, org or sid");
    }
    Set<String> roleSet = new HashSet<>();
    if (roles != null) {
      if (roles.size() > MAX_ROLES) {
        throw new InvalidTokenException("too many roles");
      }
      for (String role : roles) {
        if (role == null) {
          throw new InvalidTokenException("malformed claims");
        }
        roleSet.add(role);
      }
    }
    return new Verified(new Principal(subject, org, sid, roleSet), expiresAt);
  }

  private static int dots(String token) {
    int dots = 0;
    for (int i = 0; i < token.length(); i++) {
      if (token.charAt(i) == '.') {
        dots++;
      }
    }
    return dots;
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
