package dev.troupe.actors.identity.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.troupe.actors.identity.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The access-token security suite, at the verifier: what must be accepted and what refused. */
class TokenVerifierTest {

  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
  private static final Duration TTL = Duration.ofMinutes(5);
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final TokenSettings SETTINGS = settings("troupe", "troupe", "RS256");
  private static final Principal ALICE =
      new Principal("alice", "acme", "sess-1", Set.of("org-admin", "project-user:web"));

  private static KeyEntry rsa;
  private static KeyEntry otherRsaSameKid;

  private final KeyRing ring = new KeyRing();
  private final TokenIssuer issuer = new TokenIssuer(ring, SETTINGS);
  private final TokenVerifier verifier = new TokenVerifier(ring, SETTINGS);

  @BeforeAll
  static void keys() {
    rsa = KeyGenerator.generate("RS256", NOW.minus(Duration.ofHours(1)));
    KeyEntry other = KeyGenerator.generate("RS256", NOW);
    otherRsaSameKid =
        new KeyEntry(rsa.kid(), "RS256", other.privateJwk(), other.publicJwk(), NOW, null);
  }

  private void useRsa() {
    ring.update(new KeySet(List.of(rsa)));
  }

  @Test
  void acceptsAValidToken() {
    useRsa();
    String token = issuer.issue(ALICE, NOW, NOW.plus(Duration.ofDays(1)));

    Verified verified = verifier.verify(token, NOW.plusSeconds(10));

    assertThat(verified.principal()).isEqualTo(ALICE);
    assertThat(verified.expiresAt()).isEqualTo(NOW.plus(TTL));
  }

  @Test
  void tokenNeverOutlivesItsSession() {
    useRsa();
    Instant sessionEnd = NOW.plusSeconds(60);
    String token = issuer.issue(ALICE, NOW, sessionEnd);

    assertThat(verifier.verify(token, NOW).expiresAt()).isEqualTo(sessionEnd);
  }

  @Test
  void refusesMissingAndGarbageTokens() {
    useRsa();
    for (String garbage :
        new String[] {null, "", "abc", "a.b.c", "..", "....", "eyJ.eyJ.sig", "x".repeat(10_000)}) {
      refused(() -> verifier.verify(garbage, NOW), null);
    }
  }

  @Test
  void refusesExpiredTokensBeyondTheClockSkew() {
    useRsa();
    String token = issuer.issue(ALICE, NOW, NOW.plus(Duration.ofDays(1)));

    assertThat(verifier.verify(token, NOW.plus(TTL).plus(SKEW).minusSeconds(1))).isNotNull();
    refused(() -> verifier.verify(token, NOW.plus(TTL).plus(SKEW)), "expired");
    refused(() -> verifier.verify(token, NOW.plus(Duration.ofHours(1))), "expired");
  }

  @Test
  void refusesTokensNotYetValid() {
    useRsa();
    String token =
        sign(claims().notBeforeTime(date(NOW.plus(Duration.ofMinutes(2)))), rsa, JWSAlgorithm.RS256);

    refused(() -> verifier.verify(token, NOW), "not yet valid");
    assertThat(verifier.verify(token, NOW.plus(Duration.ofMinutes(2)).minus(SKEW))).isNotNull();
  }

  @Test
  void refusesTokensIssuedInTheFuture() {
    useRsa();
    String token =
        sign(claims().issueTime(date(NOW.plus(Duration.ofMinutes(2)))), rsa, JWSAlgorithm.RS256);

    refused(() -> verifier.verify(token, NOW), "issued in the future");
  }

  @Test
  void refusesAWrongAudience() {
    useRsa();
    String token =
        new TokenIssuer(ring, settings("troupe", "someone-else", "RS256"))
            .issue(ALICE, NOW, NOW.plus(TTL));

    refused(() -> verifier.verify(token, NOW), "wrong audience");
  }

  @Test
  void refusesAWrongIssuer() {
    useRsa();
    String token =
        new TokenIssuer(ring, settings("evil", "troupe", "RS256")).issue(ALICE, NOW, NOW.plus(TTL));

    refused(() -> verifier.verify(token, NOW), "wrong issuer");
  }

  @Test
  void refusesAForgedSignatureUnderAKnownKid() {
    useRsa();
    String forged = sign(claims(), otherRsaSameKid, JWSAlgorithm.RS256);

    refused(() -> verifier.verify(forged, NOW), "bad signature");
  }

  @Test
  void refusesATamperedPayload() {
    useRsa();
    String token = issuer.issue(ALICE, NOW, NOW.plus(TTL));
    String[] parts = token.split("\\.");
    String payload =
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
            .replace("project-user:web", "sys-admin");
    String tampered = parts[0] + "." + b64(payload) + "." + parts[2];

    refused(() -> verifier.verify(tampered, NOW), "bad signature");
  }

  @Test
  void refusesUnsecuredTokens() {
    useRsa();
    String payload = claims().build().toString();
    String[] headers = {
      "{\"alg\":\"none\",\"kid\":\"" + rsa.kid() + "\"}",
      "{\"alg\":\"none\"}",
      "{\"alg\":\"None\",\"kid\":\"" + rsa.kid() + "\"}",
      "{\"alg\":\"NONE\",\"kid\":\"" + rsa.kid() + "\"}",
    };
    for (String header : headers) {
      String unsigned = b64(header) + "." + b64(payload) + ".";
      refused(() -> verifier.verify(unsigned, NOW), null);
      // The same, with a signature part borrowed from a real token.
      String real = issuer.issue(ALICE, NOW, NOW.plus(TTL));
      String withSignature = b64(header) + "." + b64(payload) + "." + real.split("\\.")[2];
      refused(() -> verifier.verify(withSignature, NOW), null);
    }
    String plain = new PlainJWT(claims().build()).serialize();
    refused(() -> verifier.verify(plain, NOW), null);
  }

  @Test
  void refusesEncryptedTokens() throws Exception {
    useRsa();
    RSAKey key = JWK.parse(rsa.publicJwk()).toRSAKey();
    JWEObject jwe =
        new JWEObject(
            new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A128GCM)
                .keyID(rsa.kid())
                .build(),
            new Payload(claims().build().toJSONObject()));
    jwe.encrypt(new RSAEncrypter(key));

    refused(() -> verifier.verify(jwe.serialize(), NOW), "not a signed JWT");
  }

  @Test
  void refusesHmacTokensKeyedWithThePublicKey() throws Exception {
    useRsa();
    RSAKey publicKey = JWK.parse(rsa.publicJwk()).toRSAKey();
    byte[] der = publicKey.toRSAPublicKey().getEncoded();
    String pem =
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(der)
            + "\n-----END PUBLIC KEY-----\n";
    List<byte[]> secrets =
        List.of(
            der,
            pem.getBytes(StandardCharsets.UTF_8),
            rsa.publicJwk().getBytes(StandardCharsets.UTF_8));
    for (byte[] secret : secrets) {
      String confused = sign(claims(), rsa.kid(), JWSAlgorithm.HS256, new MACSigner(secret));
      refused(() -> verifier.verify(confused, NOW), "algorithm does not match the key");
    }
  }

  @Test
  void refusesAHeaderAlgorithmOtherThanTheKeys() throws Exception {
    useRsa();
    RSASSASigner signer = new RSASSASigner(JWK.parse(rsa.privateJwk()).toRSAKey());
    String ps256 = sign(claims(), rsa.kid(), JWSAlgorithm.PS256, signer);
    String rs512 = sign(claims(), rsa.kid(), JWSAlgorithm.RS512, signer);

    refused(() -> verifier.verify(ps256, NOW), "algorithm does not match the key");
    refused(() -> verifier.verify(rs512, NOW), "algorithm does not match the key");
  }

  @Test
  void refusesUnknownAndMissingKids() throws Exception {
    useRsa();
    KeyEntry stranger = KeyGenerator.generate("EdDSA", NOW);
    String unknown = sign(claims(), stranger, JWSAlgorithm.EdDSA);
    RSASSASigner signer = new RSASSASigner(JWK.parse(rsa.privateJwk()).toRSAKey());
    String noKid = sign(claims(), null, JWSAlgorithm.RS256, signer);

    assertThatThrownBy(() -> verifier.verify(unknown, NOW))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.unknownKey()).isTrue());
    refused(() -> verifier.verify(noKid, NOW), "missing kid");
  }

  @Test
  void refusesTokensWithoutRequiredClaims() {
    useRsa();
    refused(
        () -> verifier.verify(sign(claims().expirationTime(null), rsa, JWSAlgorithm.RS256), NOW),
        "missing exp");
    refused(
        () -> verifier.verify(sign(claims().issueTime(null), rsa, JWSAlgorithm.RS256), NOW),
        "missing iat");
    refused(
        () -> verifier.verify(sign(claims().subject(null), rsa, JWSAlgorithm.RS256), NOW),
        "missing sub, org or sid");
    refused(
        () -> verifier.verify(sign(claims().claim("org", null), rsa, JWSAlgorithm.RS256), NOW),
        "missing sub, org or sid");
    refused(
        () -> verifier.verify(sign(claims().claim("sid", null), rsa, JWSAlgorithm.RS256), NOW),
        "missing sub, org or sid");
    refused(
        () -> verifier.verify(sign(claims().claim("sid", 42), rsa, JWSAlgorithm.RS256), NOW),
        "malformed claims");
  }

  @Test
  void oldKeyVerifiesAfterRotationUntilItIsDropped() {
    useRsa();
    String before = issuer.issue(ALICE, NOW, NOW.plus(TTL));
    KeyEntry next = KeyGenerator.generate("ES256", NOW.plusSeconds(1));

    // Rotated: the old key is retired but kept.
    ring.update(new KeySet(List.of(rsa.retire(NOW.plusSeconds(1)), next)));
    String after = issuer.issue(ALICE, NOW.plusSeconds(1), NOW.plus(TTL));

    assertThat(SignedJWTs.kid(after)).isEqualTo(next.kid());
    assertThat(verifier.verify(before, NOW.plusSeconds(2)).principal()).isEqualTo(ALICE);
    assertThat(verifier.verify(after, NOW.plusSeconds(2)).principal()).isEqualTo(ALICE);

    // Dropped: tokens of the old key are refused, the new key's still pass.
    ring.update(new KeySet(List.of(next)));
    assertThatThrownBy(() -> verifier.verify(before, NOW.plusSeconds(3)))
        .isInstanceOfSatisfying(
            InvalidTokenException.class, e -> assertThat(e.unknownKey()).isTrue());
    assertThat(verifier.verify(after, NOW.plusSeconds(3))).isNotNull();
  }

  @Test
  void es256RoundTrip() {
    roundTrip("ES256");
  }

  @Test
  void edDsaRoundTrip() {
    roundTrip("EdDSA");
  }

  @Test
  void rs256RoundTrip() {
    roundTrip("RS256");
  }

  @Test
  void issuerRefusesWithoutASigningKey() {
    assertThatThrownBy(() -> issuer.issue(ALICE, NOW, NOW.plus(TTL)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void keyEntryNeverShowsItsPrivateKey() {
    assertThat(rsa.toString()).doesNotContain(rsa.privateJwk()).doesNotContain("\"d\"");
  }

  private void roundTrip(String algorithm) {
    KeyEntry key = KeyGenerator.generate(algorithm, NOW);
    ring.update(new KeySet(List.of(key)));
    String token = issuer.issue(ALICE, NOW, NOW.plus(Duration.ofDays(1)));

    SignedJWT parsed = SignedJWTs.parse(token);
    assertThat(parsed.getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
    assertThat(parsed.getHeader().getKeyID()).isEqualTo(key.kid());
    assertThat(parsed.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
    assertThat(verifier.verify(token, NOW).principal()).isEqualTo(ALICE);
  }

  // --- helpers ---

  private static TokenSettings settings(String issuer, String audience, String algorithm) {
    return new TokenSettings(
        issuer,
        audience,
        algorithm,
        TTL,
        SKEW,
        Duration.ofHours(24),
        Duration.ofSeconds(30),
        Duration.ofSeconds(2),
        1000);
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer("troupe")
        .audience("troupe")
        .subject("alice")
        .claim("org", "acme")
        .claim("sid", "sess-1")
        .claim("roles", List.of("org-admin"))
        .issueTime(date(NOW))
        .notBeforeTime(date(NOW))
        .expirationTime(date(NOW.plus(TTL)))
        .jwtID("jti-1");
  }

  private static String sign(JWTClaimsSet.Builder claims, KeyEntry key, JWSAlgorithm alg) {
    try {
      JWK jwk = JWK.parse(key.privateJwk());
      JWSSigner signer =
          switch (key.algorithm()) {
            case "RS256" -> new RSASSASigner(jwk.toRSAKey());
            case "ES256" -> new com.nimbusds.jose.crypto.ECDSASigner(jwk.toECKey());
            default -> new com.nimbusds.jose.crypto.Ed25519Signer(jwk.toOctetKeyPair());
          };
      return sign(claims, key.kid(), alg, signer);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(
      JWTClaimsSet.Builder claims, String kid, JWSAlgorithm alg, JWSSigner signer) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims.build());
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void refused(ThrowingCallable call, String reason) {
    var assertion = assertThatThrownBy(call).isInstanceOf(InvalidTokenException.class);
    if (reason != null) {
      assertion.hasMessage(reason);
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Date date(Instant instant) {
    return Date.from(instant);
  }

  /** Parsing without the checked exception. */
  private static final class SignedJWTs {
    static SignedJWT parse(String token) {
      try {
        return SignedJWT.parse(token);
      } catch (java.text.ParseException e) {
        throw new IllegalStateException(e);
      }
    }

    static String kid(String token) {
      return parse(token).getHeader().getKeyID();
    }
  }
}
