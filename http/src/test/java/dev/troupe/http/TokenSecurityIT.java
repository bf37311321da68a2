package dev.troupe.http;

import static dev.troupe.http.ItSupport.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.identity.token.KeyRing;
import dev.troupe.actors.identity.token.KeyRingSync;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What attackers try with tokens, over real HTTP: tokens signed by the node's own key but with
 * wrong claims, forged signatures, {@code alg: none}, RS/HS key confusion, and key rotation with
 * tokens of the old key still accepted until they expire.
 */
class TokenSecurityIT {

  @TempDir static Path dataDir;

  private static NodeRuntime node;
  private static TestHttp anonymous;
  private static TestHttp admin;
  private static String adminSession;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNodes.h2(dataDir, ConfigFactory.empty());
    anonymous = new TestHttp(node.httpPort());
    TestHttp.Response login = anonymous.login(TestNodes.ADMIN_USER, TestNodes.ADMIN_PASSWORD, null);
    adminSession = login.json().get("session_id").asText();
    admin = anonymous.as(login.json().get("access_token").asText());
  }

  @AfterAll
  static void stopNode() throws Exception {
    ItSupport.stop(node);
  }

  /** Claims of a token that would be valid for the admin's session now. */
  private static JWTClaimsSet.Builder validClaims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer("troupe")
        .audience("troupe")
        .subject(TestNodes.ADMIN_USER)
        .claim("org", "system")
        .claim("sid", adminSession)
        .claim("roles", List.of("sys-admin"))
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(120)))
        .jwtID(UUID.randomUUID().toString());
  }

  /** A token signed with the node's real current key, with the claims changed as given. */
  private static String signedByNode(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
    KeyRing.Signing signing = KeyRingSync.get(node.system()).keyRing().current();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(signing.algorithm()).keyID(signing.kid()).type(new JOSEObjectType("at+jwt")).build(),
            change.apply(validClaims()).build());
    jwt.sign(signing.signer());
    return jwt.serialize();
  }

  private static String currentKid() {
    return KeyRingSync.get(node.system()).keyRing().current().kid();
  }

  @Test
  void aTokenSignedByTheNodeWithValidClaimsIsAccepted() throws Exception {
    // The control for every refusal below: only the claim under test differs.
    assertThat(anonymous.as(signedByNode(c -> c)).get("/orgs/system").status()).isEqualTo(200);
  }

  @Test
  void expiredNotYetValidWrongAudienceAndWrongIssuerAreRefused() throws Exception {
    Instant now = Instant.now();
    List<String> tokens =
        List.of(
            signedByNode(c -> c.issueTime(Date.from(now.minusSeconds(600))).notBeforeTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.minusSeconds(120)))),
            signedByNode(c -> c.notBeforeTime(Date.from(now.plusSeconds(600)))),
            signedByNode(c -> c.audience("another-service")),
            signedByNode(c -> c.issuer("https://evil.example")),
            signedByNode(c -> c.claim("sid", null)));
    for (String token : tokens) {
      assertProblem(anonymous.as(token).get("/orgs/system"), 401, "unauthenticated");
    }
  }

  @Test
  void aTokenSignedWithAnotherKeyUnderTheNodesKidIsRefused() throws Exception {
    RSAKey attacker = new RSAKeyGenerator(2048).keyID(currentKid()).generate();
    SignedJWT forged =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(currentKid()).build(), validClaims().build());
    forged.sign(new RSASSASigner(attacker));

    assertProblem(anonymous.as(forged.serialize()).get("/orgs/system"), 401, "unauthenticated");
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String header = base64("{\"alg\":\"none\",\"kid\":\"" + currentKid() + "\"}");
    String claims = base64(validClaims().build().toString());

    assertProblem(anonymous.as(header + "." + claims + ".").get("/orgs/system"), 401, "unauthenticated");
    assertProblem(anonymous.as(header + "." + claims).get("/orgs/system"), 401, "unauthenticated");
  }

  @Test
  void hmacWithThePublicKeyAsSecretIsRefused() throws Exception {
    // The classic confusion: sign HS256 with the published RSA public key as the HMAC secret.
    JsonNode jwks = anonymous.get("/.well-known/jwks.json").json();
    String publicJwk = jwks.get("keys").get(0).toString();
    String kid = jwks.get("keys").get(0).get("kid").asText();
    byte[] secret = padded(publicJwk.getBytes(StandardCharsets.UTF_8));
    SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), validClaims().build());
    confused.sign(new MACSigner(secret));

    assertProblem(anonymous.as(confused.serialize()).get("/orgs/system"), 401, "unauthenticated");
  }

  @Test
  void rotationKeepsOldTokensValidAndSignsNewOnesWithTheNewKey() throws Exception {
    String oldToken = anonymous.login(TestNodes.ADMIN_USER, TestNodes.ADMIN_PASSWORD, null).json().get("access_token").asText();
    String oldKid = kidOf(oldToken);

    TestHttp.Response rotated = admin.postJson("/auth/keys/rotate", "{}");

    assertThat(rotated.status()).as("%s", rotated).isEqualTo(200);
    String newKid = rotated.json().get("kid").asText();
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(anonymous.as(oldToken).get("/orgs/system").status()).isEqualTo(200);
    String newToken = anonymous.login(TestNodes.ADMIN_USER, TestNodes.ADMIN_PASSWORD, null).json().get("access_token").asText();
    assertThat(kidOf(newToken)).isEqualTo(newKid);
    List<String> published = anonymous.get("/.well-known/jwks.json").json().get("keys").findValuesAsText("kid");
    assertThat(published).contains(oldKid, newKid);
    assertThat(admin.get("/audit/signing-keys/jwt/events").json().get("events").findValuesAsText("type"))
        .contains("KeyAdded", "KeyRetired");
  }

  @Test
  void onlyASysAdminRotatesKeys() {
    TestHttp.Response created =
        admin.postJson(
            "/orgs",
            "{\"name\":\"" + ItSupport.uniqueId("rot") + "\",\"admin\":{\"username\":\"boss\",\"password\":\"boss-password\"}}");
    assertThat(created.status()).isEqualTo(201);
    TestHttp orgAdmin = anonymous.loggedIn("boss", "boss-password", created.json().get("name").asText());

    assertProblem(orgAdmin.postJson("/auth/keys/rotate", "{}"), 403, "forbidden");
  }

  @Test
  void oversizedAndMalformedAuthorizationIsRefusedWithout500() {
    assertProblem(anonymous.as("a".repeat(8000)).get("/orgs/system"), 401, "unauthenticated");
    // Past the server's header limit the parser answers before any route: 431, never a 500.
    assertThat(anonymous.as("a".repeat(9000)).get("/orgs/system").status()).isEqualTo(431);
    assertProblem(anonymous.as("a.b.c").get("/orgs/system"), 401, "unauthenticated");
    assertProblem(anonymous.get("/orgs/system", "Authorization", "Bearer"), 401, "unauthenticated");
  }

  private static String kidOf(String token) throws Exception {
    return SignedJWT.parse(token).getHeader().getKeyID();
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** HS256 needs a 256-bit secret; a JWK is longer than that anyway. */
  private static byte[] padded(byte[] bytes) {
    return bytes.length >= 32 ? bytes : java.util.Arrays.copyOf(bytes, 32);
  }
}
