package dev.troupe.http.tls;

/** TLS material the node cannot use (missing file, encrypted key, key not matching the cert...). */
public final class TlsSetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TlsSetupException(String message) {
    super(message);
  }

  public TlsSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
