package dev.troupe.actors.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Refresh tokens are opaque to clients: {@code <org>~<session id>~<secret>}. The org and session
 * id locate the session entity; only the SHA-256 of the 256-bit secret is stored, so a journal
 * leak does not leak usable tokens.
 */
public final class RefreshTokens {

  /** A parsed refresh token. */
  public record Parsed(String org, String sessionId, String secret) {}

  /** A new refresh token and the hash its session stores. */
  public record Issued(String token, String hash) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char SEPARATOR = '~';
  private static final int MAX_LENGTH = 256;

  private RefreshTokens() {}

  public static Issued issue(String org, String sessionId) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Issued(org + SEPARATOR + sessionId + SEPARATOR + encoded, hash(encoded));
  }

  public static Optional<Parsed> parse(String token) {
    if (token == null || token.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String[] parts = token.split(String.valueOf(SEPARATOR), -1);
    if (parts.length != 3 || !Names.valid(parts[0]) || parts[1].isEmpty() || parts[2].length() < 32) {
      return Optional.empty();
    }
    if (!parts[1].matches("[A-Za-z0-9_-]{1,64}")) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(parts[0], parts[1], parts[2]));
  }

  /** The stored form of a secret: hex SHA-256. */
  public static String hash(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }
}
