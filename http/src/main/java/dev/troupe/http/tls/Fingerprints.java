package dev.troupe.http.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Certificate fingerprints in the format of {@code openssl x509 -noout -fingerprint -sha256}. */
public final class Fingerprints {

  private Fingerprints() {}

  /** {@code AB:CD:...}: SHA-256 of the DER encoding, upper-case hex pairs joined by colons. */
  public static String sha256(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
    }
  }
}
