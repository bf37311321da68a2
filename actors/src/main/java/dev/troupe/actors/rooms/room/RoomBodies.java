package dev.troupe.actors.rooms.room;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.troupe.actors.rooms.RoomException;
import java.io.IOException;

/**
 * Checks of a posted body and idempotency key before a room is asked: the body is one JSON object
 * (nothing after it) of at most the configured UTF-8 bytes; a key is 1 to 128 visible ASCII
 * characters.
 */
public final class RoomBodies {

  /** Longest idempotency key. */
  public static final int MAX_KEY_LENGTH = 128;

  private static final JsonFactory JSON = new JsonFactory();

  private RoomBodies() {}

  /** The body, if a JSON object within {@code maxBytes}; TOO_LARGE or INVALID otherwise. */
  public static String body(String body, int maxBytes) {
    if (body == null) {
      throw RoomRefusals.invalid("a message is a JSON object");
    }
    if (utf8Length(body) > maxBytes) {
      throw new RoomException(
          RoomException.Kind.TOO_LARGE, "a message has at most " + maxBytes + " bytes");
    }
    if (!isJsonObject(body)) {
      throw RoomRefusals.invalid("a message is a JSON object");
    }
    return body;
  }

  /** The key, if 1 to 128 visible ASCII characters; INVALID otherwise. */
  public static String idempotencyKey(String key) {
    boolean valid = key != null && !key.isEmpty() && key.length() <= MAX_KEY_LENGTH;
    for (int i = 0; valid && i < key.length(); i++) {
      char c = key.charAt(i);
      valid = c >= 0x21 && c <= 0x7e;
    }
    if (!valid) {
      throw RoomRefusals.invalid(
          "an Idempotency-Key has 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
    }
    return key;
  }

  /** Whether the text is exactly one JSON object. */
  public static boolean isJsonObject(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      parser.skipChildren();
      return parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  /** The text's length in UTF-8 bytes (an unpaired surrogate counts 3, as a replacement). */
  static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
