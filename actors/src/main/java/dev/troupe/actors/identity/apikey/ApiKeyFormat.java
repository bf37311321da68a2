package dev.troupe.actors.identity.apikey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key format {@code trp_<id>_<secret>}: a 16-character id ({@code [a-z0-9]}, stored in plain,
 * the lookup key) and 32 random bytes base64url without padding. Only the SHA-256 of the whole
 * key is stored; a random 256-bit secret needs no slow hash.
 *
 * <p>An id is 10 random characters followed by 6 characters of an HMAC-SHA256 of them under the
 * cluster's id secret ({@link KeyIdSecret}), about 31 bits. An id that does not carry its MAC is
 * refused by {@link #parse} without any lookup, so guessing ids costs the server an HMAC, never an
 * entity start or a journal read; finding one id that passes takes about two billion requests.
 * The MAC only protects the server: the key's own secret part is what authenticates.
 */
public final class ApiKeyFormat {

  /** Every key starts with this. */
  public static final String PREFIX = "trp_";

  /** Length of a key id. */
  public static final int ID_LENGTH = 16;

  /** Length of the MAC that ends an id. */
  static final int MAC_LENGTH = 6;

  private static final int RANDOM_LENGTH = ID_LENGTH - MAC_LENGTH;
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final Pattern KEY = Pattern.compile("trp_([a-z0-9]{16})_([A-Za-z0-9_-]{43})");
  private static final Pattern ID = Pattern.compile("[a-z0-9]{16}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  /** A key as presented: its id and the whole key text. */
  public record Presented(String id, String key) {
    @Override
    public String toString() {
      return "Presented[id=" + id + ", key=[redacted]]";
    }
  }

  /** A new key: its id and the whole key (shown once). */
  public record Generated(String id, String key) {
    @Override
    public String toString() {
      return "Generated[id=" + id + ", key=[redacted]]";
    }
  }

  /** A new key whose id carries its MAC under {@code idSecret}. */
  public static Generated generate(byte[] idSecret) {
    StringBuilder random = new StringBuilder(RANDOM_LENGTH);
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      random.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    String id = random + mac(idSecret, random.toString());
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String key = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    return new Generated(id, key);
  }

  /**
   * The key's parts when it has the key format and its id carries a good MAC under {@code
   * idSecret}, else empty (a forged or unknown id never reaches a lookup).
   */
  public static Optional<Presented> parse(String key, byte[] idSecret) {
    if (key == null || key.length() > 80) {
      return Optional.empty();
    }
    Matcher m = KEY.matcher(key);
    if (!m.matches() || !macMatches(m.group(1), idSecret)) {
      return Optional.empty();
    }
    return Optional.of(new Presented(m.group(1), key));
  }

  /** Whether the id's last characters are the MAC of the rest, compared in constant time. */
  static boolean macMatches(String id, byte[] idSecret) {
    String expected = mac(idSecret, id.substring(0, RANDOM_LENGTH));
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        id.substring(RANDOM_LENGTH).getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code MAC_LENGTH} base-36 characters of HMAC-SHA256(idSecret, "troupe-api-key-id:" + random). */
  static String mac(byte[] idSecret, String random) {
    byte[] digest;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(idSecret, "HmacSHA256"));
      digest = mac.doFinal(("troupe-api-key-id:" + random).getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 missing", e);
    }
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (digest[i] & 0xff);
    }
    value &= Long.MAX_VALUE;
    char[] out = new char[MAC_LENGTH];
    for (int i = 0; i < MAC_LENGTH; i++) {
      out[i] = ID_ALPHABET.charAt((int) (value % ID_ALPHABET.length()));
      value /= ID_ALPHABET.length();
    }
    return new String(out);
  }

  /** Whether the text has the key format (its id's MAC is not checked: see {@link #parse}). */
  public static boolean wellFormed(String key) {
    return key != null && key.length() <= 80 && KEY.matcher(key).matches();
  }

  /** Whether the text is a well-formed key id. */
  public static boolean validId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The display prefix {@code trp_<id>}. */
  public static String prefixOf(String id) {
    return PREFIX + id;
  }

  /** SHA-256 of the key, hex. */
  public static String hash(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing", e);
    }
  }

  /** Whether the key hashes to the stored hash, in time independent of where they differ. */
  public static boolean matches(String key, String storedHash) {
    return storedHash != null
        && MessageDigest.isEqual(
            hash(key).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
