package dev.troupe.actors.identity.token;

import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.Secret;
import java.time.Instant;
import java.util.Objects;

/**
 * One signing key as the {@link SigningKeys} entity keeps it: the private JWK (a secret, never
 * shown by audit or {@link #toString()}), the public JWK others verify with, and its life.
 *
 * @param kid the key id written in token headers
 * @param algorithm the only JWS algorithm tokens of this key may use: RS256, ES256 or EdDSA
 * @param privateJwk the private key as a JWK JSON object
 * @param publicJwk the public key as a JWK JSON object
 * @param createdAt when the key was installed
 * @param retiredAt when a newer key replaced it for signing; null while it is current
 */
public record KeyEntry(
    String kid,
    String algorithm,
    @Secret String privateJwk,
    String publicJwk,
    Instant createdAt,
    Instant retiredAt)
    implements TroupeSerializable {

  public KeyEntry {
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(privateJwk, "privateJwk");
    Objects.requireNonNull(publicJwk, "publicJwk");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  public boolean retired() {
    return retiredAt != null;
  }

  /** The same key, retired at the given time. */
  public KeyEntry retire(Instant at) {
    return new KeyEntry(kid, algorithm, privateJwk, publicJwk, createdAt, at);
  }

  /** Never shows the private key. */
  @Override
  public String toString() {
    return "KeyEntry[kid=" + kid + ", algorithm=" + algorithm + ", createdAt=" + createdAt
        + ", retiredAt=" + retiredAt + "]";
  }
}
