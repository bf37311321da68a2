package dev.troupe.actors.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * Generates signing keys: RSA 2048 for RS256, P-256 for ES256, Ed25519 for EdDSA. CPU-heavy (RSA
 * above all): call it on the crypto dispatcher, never inside an actor.
 */
public final class KeyGenerator {

  private static final SecureRandom RANDOM = new SecureRandom();

  private KeyGenerator() {}

  /**
   * A new key, current from {@code now}.
   *
   * @throws IllegalArgumentException if the algorithm is not RS256, ES256 or EdDSA
   */
  public static KeyEntry generate(String algorithm, Instant now) {
    String kid = newKid();
    try {
      JWK jwk =
          switch (algorithm) {
            case "RS256" -> new RSAKeyGenerator(2048)
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .secureRandom(RANDOM)
                .generate();
            case "ES256" -> new ECKeyGenerator(Curve.P_256)
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .secureRandom(RANDOM)
                .generate();
            case "EdDSA" -> new OctetKeyPairGenerator(Curve.Ed25519)
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.EdDSA)
                .generate();
            default -> throw new IllegalArgumentException(
                "unsupported signing algorithm " + algorithm + "; use one of "
                    + TokenSettings.ALGORITHMS);
          };
      return new KeyEntry(
          kid, algorithm, jwk.toJSONString(), jwk.toPublicJWK().toJSONString(), now, null);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a " + algorithm + " key", e);
    }
  }

  /** A random key id: 12 random bytes, base64url without padding (16 characters). */
  static String newKid() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
