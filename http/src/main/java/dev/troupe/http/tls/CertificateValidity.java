package dev.troupe.http.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What is wrong with a certificate's validity period at a given time, as a log line: expired, not
 * yet valid, or expiring within {@link #WARN_BEFORE}. Empty when it is fine.
 */
public final class CertificateValidity {

  /** How long before expiry every load and reload warns. */
  public static final Duration WARN_BEFORE = Duration.ofDays(14);

  private CertificateValidity() {}

  /** Whether the certificate is past its notAfter at {@code now}. */
  public static boolean expired(X509Certificate cert, Instant now) {
    return cert.getNotAfter().toInstant().isBefore(now);
  }

  public static Optional<String> problem(X509Certificate cert, Instant now) {
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    String subject = cert.getSubjectX500Principal().toString();
    if (expired(cert, now)) {
      return Optional.of("the TLS certificate " + subject + " expired at " + notAfter + ": clients will refuse it");
    }
    if (notBefore.isAfter(now)) {
      return Optional.of(
          "the TLS certificate " + subject + " is not valid before " + notBefore + ": clients will refuse it until then"
              + " (is the clock right?)");
    }
    if (notAfter.isBefore(now.plus(WARN_BEFORE))) {
      return Optional.of(
          "the TLS certificate " + subject + " expires at " + notAfter + ", in less than " + WARN_BEFORE.toDays()
              + " days: renew it");
    }
    return Optional.empty();
  }
}
