package dev.troupe.actors.identity;

import java.time.Duration;
import java.util.Optional;

/**
 * A refused identity operation, with a kind the HTTP edge maps to a status (401, 403, 404, 409,
 * 400, 429, 422, 503). Messages are safe to show to the caller: they never say whether a user exists.
 */
public final class IdentityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation was refused. */
  public enum Kind {
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    INVALID,
    LOCKED,
    LIMIT,
    BUSY
  }

  private final Kind kind;
  private final transient Duration retryAfter;

  public IdentityException(Kind kind, String message) {
    this(kind, message, null);
  }

  public IdentityException(Kind kind, String message, Duration retryAfter) {
    super(message, null, false, false);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  public Kind kind() {
    return kind;
  }

  /** The node has too much password hashing queued; retry shortly (503). */
  public static IdentityException busy() {
    return new IdentityException(Kind.BUSY, "too many logins in progress; retry shortly", Duration.ofSeconds(1));
  }

  /** For {@link Kind#LOCKED} and {@link Kind#BUSY}: how long until the caller may try again. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public static IdentityException unauthenticated() {
    return new IdentityException(Kind.UNAUTHENTICATED, "invalid credentials");
  }

  public static IdentityException notFound(String what) {
    return new IdentityException(Kind.NOT_FOUND, what + " not found");
  }

  public static IdentityException forbidden(String detail) {
    return new IdentityException(Kind.FORBIDDEN, detail);
  }

  public static IdentityException invalid(String detail) {
    return new IdentityException(Kind.INVALID, detail);
  }

  /**
   * The exception for an entity's refusal: entities answer {@code StatusReply} errors whose message
   * starts with {@code conflict:}, {@code not found:}, {@code invalid:} or {@code limit:}.
   */
  public static IdentityException fromEntityError(String message) {
    int colon = message.indexOf(':');
    String prefix = colon < 0 ? "" : message.substring(0, colon);
    String detail = colon < 0 ? message : message.substring(colon + 1).trim();
    return switch (prefix) {
      case "conflict" -> new IdentityException(Kind.CONFLICT, detail);
      case "not found" -> new IdentityException(Kind.NOT_FOUND, detail + " not found");
      case "invalid" -> new IdentityException(Kind.INVALID, detail);
      case "limit" -> new IdentityException(Kind.LIMIT, detail);
      default -> new IdentityException(Kind.INVALID, message);
    };
  }
}
