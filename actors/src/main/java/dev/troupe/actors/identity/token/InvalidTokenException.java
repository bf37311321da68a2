package dev.troupe.actors.identity.token;

/**
 * A presented access token is not acceptable. The reason is for logs and metrics; clients only
 * learn that the token is invalid. Unchecked, so verification composes with futures.
 */
public final class InvalidTokenException extends RuntimeException {

  /** The reason given when the token names a key this node does not know (yet). */
  public static final String UNKNOWN_KID = "unknown kid";

  private final String reason;

  public InvalidTokenException(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }

  /** Whether refreshing the key ring and verifying once more could help. */
  public boolean unknownKey() {
    return UNKNOWN_KID.equals(reason);
  }
}
