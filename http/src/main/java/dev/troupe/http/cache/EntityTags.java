package dev.troupe.http.cache;

import dev.troupe.actors.cache.CacheException;
import dev.troupe.actors.cache.PutOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.headers.ETag;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;

/**
 * Entity tags as HTTP carries them ({@code "opaque"}, {@code W/"opaque"}, {@code *}, lists of
 * them; RFC 9110 section 8.8.3), and the conditional headers of the cache routes:
 *
 * <ul>
 *   <li>PUT with {@code If-Match: "<etag>"} (exactly one strong tag) is a compare-and-set; a weak
 *       tag can never match strongly, so it fails the precondition (412) without storing;
 *   <li>PUT with {@code If-None-Match: *} is a put-if-absent;
 *   <li>GET with {@code If-None-Match} matching the entry's etag (weak comparison, or {@code *})
 *       answers 304.
 * </ul>
 *
 * Forms the cache cannot honour atomically on PUT ({@code If-Match: *}, several tags, {@code
 * If-None-Match} with tags, both headers together) and malformed values are refused as invalid
 * (400) rather than ignored, since ignoring a precondition would silently overwrite.
 */
public final class EntityTags {

  /** A parsed list: {@code *}, or tags in order. */
  record Parsed(boolean any, List<Tag> tags) {}

  /** One entity tag: its opaque part without quotes, and whether it was weak. */
  record Tag(String opaque, boolean weak) {}

  private EntityTags() {}

  /** The {@code ETag} header for an etag the cache made. */
  public static ETag header(String etag) {
    return ETag.create(EntityTag.create(etag, false));
  }

  /** Whether an etag can be written as an entity tag (no quote, no control or space). */
  public static boolean writable(String etag) {
    return etag != null && etag.chars().allMatch(EntityTags::etagc);
  }

  /**
   * The preconditions of a PUT added to the options.
   *
   * @throws CacheException INVALID for malformed or unsupported forms, PRECONDITION_FAILED for an
   *     {@code If-Match} of weak tags only
   */
  public static PutOptions preconditions(
      PutOptions options, Optional<String> ifMatch, Optional<String> ifNoneMatch) {
    if (ifMatch.isPresent() && ifNoneMatch.isPresent()) {
      throw CacheException.invalid("If-Match and If-None-Match exclude each other");
    }
    if (ifMatch.isPresent()) {
      Parsed parsed =
          parse(ifMatch.get())
              .orElseThrow(() -> CacheException.invalid("If-Match is not a list of entity tags"));
      if (parsed.any()) {
        throw CacheException.invalid("If-Match: * is not supported; send the entity tag to compare with");
      }
      if (parsed.tags().size() > 1) {
        throw CacheException.invalid("If-Match takes exactly one entity tag");
      }
      Tag tag = parsed.tags().get(0);
      if (tag.weak()) {
        throw CacheException.preconditionFailed(
            "a weak entity tag never matches If-Match's strong comparison", Optional.empty());
      }
      return options.withIfMatch(tag.opaque());
    }
    if (ifNoneMatch.isPresent()) {
      if (!ifNoneMatch.get().trim().equals("*")) {
        throw CacheException.invalid("If-None-Match on PUT supports only * (put if absent)");
      }
      return options.withIfAbsent();
    }
    return options;
  }

  /**
   * Whether a GET's {@code If-None-Match} matches the entry's etag (weak comparison). A malformed
   * header matches nothing, so the client gets the full answer.
   */
  public static boolean noneMatchHits(String ifNoneMatch, String etag) {
    return parse(ifNoneMatch)
        .map(p -> p.any() || p.tags().stream().anyMatch(t -> t.opaque().equals(etag)))
        .orElse(false);
  }

  /** Parses {@code *} or {@code 1#entity-tag}; empty when malformed. */
  static Optional<Parsed> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    String text = value.trim();
    if (text.equals("*")) {
      return Optional.of(new Parsed(true, List.of()));
    }
    List<Tag> tags = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
        continue;
      }
      boolean weak = false;
      if (text.startsWith("W/", i)) {
        weak = true;
        i += 2;
      }
      if (i >= n || text.charAt(i) != '"') {
        return Optional.empty();
      }
      int close = text.indexOf('"', i + 1);
      if (close < 0) {
        return Optional.empty();
      }
      String opaque = text.substring(i + 1, close);
      if (!opaque.chars().allMatch(EntityTags::etagc)) {
        return Optional.empty();
      }
      tags.add(new Tag(opaque, weak));
      i = close + 1;
      // Only whitespace may stand between a tag and the next comma.
      while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
        i++;
      }
      if (i < n && text.charAt(i) != ',') {
        return Optional.empty();
      }
    }
    return tags.isEmpty() ? Optional.empty() : Optional.of(new Parsed(false, List.copyOf(tags)));
  }

  /** {@code etagc = %x21 / %x23-7E / obs-text}. */
  private static boolean etagc(int c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
  }
}
