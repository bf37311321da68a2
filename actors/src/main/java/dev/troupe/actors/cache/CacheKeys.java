package dev.troupe.actors.cache;

import dev.troupe.actors.identity.Names;
import dev.troupe.persistence.entity.EntityIds;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of what a cache caller hands over, before any bucket is asked. Each check returns its
 * (normalised) input or throws a {@link CacheException} naming what is wrong: {@code INVALID} for a
 * malformed namespace, key, tag, content type or option, {@code KEY_TOO_LONG} for a key over
 * {@code max-key-bytes}, {@code TOO_LARGE} for a value over {@code max-value-size}.
 */
public final class CacheKeys {

  /** What every tag matches. */
  public static final String TAG_PATTERN = "[A-Za-z0-9._:-]{1,64}";

  /** Longest accepted content type. */
  public static final int MAX_CONTENT_TYPE_LENGTH = 255;

  private static final Pattern TAG = Pattern.compile(TAG_PATTERN);

  private CacheKeys() {}

  /** A namespace name: {@link Names#PATTERN}. */
  public static String namespace(String namespace) {
    if (!Names.valid(namespace)) {
      throw CacheException.invalid("namespace must match " + Names.PATTERN);
    }
    return namespace;
  }

  /** The tenant a request is scoped to: a valid entity id part. */
  public static String tenant(String tenant) {
    if (!EntityIds.isValidPart(tenant)) {
      throw CacheException.invalid("the request's tenant is not a valid id");
    }
    return tenant;
  }

  /** A key: well-formed text of 1 to {@code maxKeyBytes} bytes in UTF-8. */
  public static String key(String key, int maxKeyBytes) {
    if (key == null || key.isEmpty()) {
      throw CacheException.invalid("key must not be empty");
    }
    if (key.length() > maxKeyBytes) { // every char is at least one byte
      throw CacheException.keyTooLong("key is longer than " + maxKeyBytes + " bytes (UTF-8)");
    }
    int bytes = utf8Length(key);
    if (bytes > maxKeyBytes) {
      throw CacheException.keyTooLong("key is longer than " + maxKeyBytes + " bytes (UTF-8)");
    }
    return key;
  }

  /** One tag: {@link #TAG_PATTERN}. */
  public static String tag(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw CacheException.invalid("tag must match " + TAG_PATTERN);
    }
    return tag;
  }

  /** At most {@code maxTags} valid tags; duplicates are dropped, the order is kept. */
  public static List<String> tags(List<String> tags, int maxTags) {
    if (tags == null) {
      return List.of();
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String tag : tags) {
      distinct.add(tag(tag));
    }
    if (distinct.size() > maxTags) {
      throw CacheException.invalid("at most " + maxTags + " tags");
    }
    return List.copyOf(distinct);
  }

  /**
   * Tags given as one comma-separated text (as in a query parameter); null or empty means none.
   * An empty element ({@code a,,b}) is invalid.
   */
  public static List<String> parseTags(String commaSeparated, int maxTags) {
    if (commaSeparated == null || commaSeparated.isEmpty()) {
      return List.of();
    }
    List<String> tags = new ArrayList<>();
    for (String tag : commaSeparated.split(",", -1)) {
      tags.add(tag);
      if (tags.size() > maxTags) {
        throw CacheException.invalid("at most " + maxTags + " tags");
      }
    }
    return tags(tags, maxTags);
  }

  /** A value: at most {@code maxValueBytes} bytes and a plausible content type. */
  public static CacheValue value(CacheValue value, long maxValueBytes) {
    if (value == null) {
      throw CacheException.invalid("value must not be null");
    }
    if (value.bytes().length > maxValueBytes) {
      throw CacheException.tooLarge("value is larger than " + maxValueBytes + " bytes");
    }
    contentType(value.contentType());
    return value;
  }

  /** A content type: 1 to 255 visible ASCII characters or spaces. */
  public static String contentType(String contentType) {
    if (contentType == null
        || contentType.isBlank()
        || contentType.length() > MAX_CONTENT_TYPE_LENGTH
        || !contentType.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw CacheException.invalid(
          "content type must be 1.." + MAX_CONTENT_TYPE_LENGTH + " printable ASCII characters");
    }
    return contentType;
  }

  private static int utf8Length(String key) {
    try {
      ByteBuffer encoded =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(key));
      return encoded.remaining();
    } catch (CharacterCodingException e) {
      throw CacheException.invalid("key is not well-formed text (unpaired surrogate)");
    }
  }
}
