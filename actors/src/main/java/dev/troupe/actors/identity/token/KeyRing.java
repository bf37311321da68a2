package dev.troupe.actors.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys this node signs and verifies with: an immutable snapshot behind a volatile field, so
 * request threads read it without locks while {@link KeyRingSync} replaces it.
 *
 * <p>Each verification key is bound to the one algorithm its entry names; verification never
 * trusts the algorithm a token's header claims (see {@link TokenVerifier}).
 */
public final class KeyRing {

  private static final Logger log = LoggerFactory.getLogger(KeyRing.class);

  /** The key new tokens are signed with. */
  public record Signing(String kid, JWSAlgorithm algorithm, JWSSigner signer) {}

  /** A key tokens are verified with, and the only algorithm accepted for it. */
  public record Verification(String kid, JWSAlgorithm algorithm, JWK publicKey, JWSVerifier verifier) {}

  private record Snapshot(Map<String, Verification> byKid, Signing current) {}

  private volatile Snapshot snapshot = new Snapshot(Map.of(), null);

  /**
   * Replaces the keys with the given set. An entry that cannot be parsed is left out (and logged)
   * rather than taking the whole ring down.
   */
  public void update(KeySet keys) {
    Map<String, Verification> byKid = new HashMap<>();
    for (KeyEntry entry : keys.keys()) {
      try {
        byKid.put(entry.kid(), verification(entry));
      } catch (ParseException | JOSEException | IllegalArgumentException e) {
        log.error("Signing key {} ({}) is unusable for verification: {}", entry.kid(),
            entry.algorithm(), e.getMessage());
      }
    }
    Signing current = null;
    Optional<KeyEntry> newest = keys.current();
    if (newest.isPresent()) {
      try {
        current = signing(newest.get());
      } catch (ParseException | JOSEException | IllegalArgumentException e) {
        log.error("Signing key {} ({}) is unusable for signing: {}", newest.get().kid(),
            newest.get().algorithm(), e.getMessage());
      }
    }
    snapshot = new Snapshot(Map.copyOf(byKid), current);
  }

  /** The verifier (and its one algorithm) for the given key id, if this node knows it. */
  public Optional<Verification> verification(String kid) {
    return kid == null ? Optional.empty() : Optional.ofNullable(snapshot.byKid().get(kid));
  }

  /**
   * The key to sign with.
   *
   * @throws IllegalStateException if no key has been loaded yet
   */
  public Signing current() {
    Signing current = snapshot.current();
    if (current == null) {
      throw new IllegalStateException("no signing key loaded yet");
    }
    return current;
  }

  /** Whether a signing key is loaded. */
  public boolean hasCurrent() {
    return snapshot.current() != null;
  }

  /** Every public key this node verifies with, by key id. */
  public Map<String, JWK> publicKeys() {
    Map<String, JWK> keys = new HashMap<>();
    snapshot.byKid().forEach((kid, v) -> keys.put(kid, v.publicKey()));
    return Map.copyOf(keys);
  }

  private static Verification verification(KeyEntry entry) throws ParseException, JOSEException {
    JWSAlgorithm alg = algorithm(entry.algorithm());
    JWK jwk = JWK.parse(entry.publicJwk());
    if (jwk.isPrivate()) {
      jwk = jwk.toPublicJWK();
    }
    JWSVerifier verifier;
    if (JWSAlgorithm.RS256.equals(alg)) {
      verifier = new RSASSAVerifier(requireType(jwk, RSAKey.class));
    } else if (JWSAlgorithm.ES256.equals(alg)) {
      verifier = new ECDSAVerifier(requireType(jwk, ECKey.class));
    } else {
      verifier = new Ed25519Verifier(requireType(jwk, OctetKeyPair.class));
    }
    return new Verification(entry.kid(), alg, jwk, verifier);
  }

  private static Signing signing(KeyEntry entry) throws ParseException, JOSEException {
    JWSAlgorithm alg = algorithm(entry.algorithm());
    JWK jwk = JWK.parse(entry.privateJwk());
    JWSSigner signer;
    if (JWSAlgorithm.RS256.equals(alg)) {
      signer = new RSASSASigner(requireType(jwk, RSAKey.class));
    } else if (JWSAlgorithm.ES256.equals(alg)) {
      signer = new ECDSASigner(requireType(jwk, ECKey.class));
    } else {
      signer = new Ed25519Signer(requireType(jwk, OctetKeyPair.class));
    }
    return new Signing(entry.kid(), alg, signer);
  }

  /** The JWS algorithm of an entry; only RS256, ES256 and EdDSA exist. */
  static JWSAlgorithm algorithm(String name) {
    return switch (name) {
      case "RS256" -> JWSAlgorithm.RS256;
      case "ES256" -> JWSAlgorithm.ES256;
      case "EdDSA" -> JWSAlgorithm.EdDSA;
      default -> throw new IllegalArgumentException("unsupported algorithm " + name);
    };
  }

  private static <T extends JWK> T requireType(JWK jwk, Class<T> type) {
    if (!type.isInstance(jwk)) {
      throw new IllegalArgumentException("key type " + jwk.getKeyType() + " does not fit");
    }
    return type.cast(jwk);
  }
}
