package dev.troupe.actors.identity.session;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Session ids: 16 random bytes, base64url without padding (22 characters). */
public final class SessionIds {

  /** Length of every session id. */
  public static final int LENGTH = 22;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{" + LENGTH + "}");

  private SessionIds() {}

  /** A new random session id. */
  public static String newId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  /** Whether a string has the shape of a session id (checked before asking any entity). */
  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
