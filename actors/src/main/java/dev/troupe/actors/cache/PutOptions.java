package dev.troupe.actors.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a put stores its value.
 *
 * @param ttl time to live; empty takes the namespace's default
 * @param tags tags to invalidate the entry by (at most {@code troupe.cache.max-tags})
 * @param ifMatch store only if the current entry has this etag (compare-and-set)
 * @param ifAbsent store only if no live entry exists (put-if-absent)
 */
public record PutOptions(Optional<Duration> ttl, List<String> tags, Optional<String> ifMatch, boolean ifAbsent) {

  public static final PutOptions DEFAULT = new PutOptions(Optional.empty(), List.of(), Optional.empty(), false);

  public PutOptions {
    tags = List.copyOf(tags);
    if (ifMatch.isPresent() && ifAbsent) {
      throw new IllegalArgumentException("ifMatch and ifAbsent exclude each other");
    }
  }

  public static PutOptions ttl(Duration ttl) {
    return DEFAULT.withTtl(ttl);
  }

  public PutOptions withTtl(Duration newTtl) {
    return new PutOptions(Optional.of(newTtl), tags, ifMatch, ifAbsent);
  }

  public PutOptions withTags(List<String> newTags) {
    return new PutOptions(ttl, newTags, ifMatch, ifAbsent);
  }

  public PutOptions withIfMatch(String etag) {
    return new PutOptions(ttl, tags, Optional.of(etag), false);
  }

  public PutOptions withIfAbsent() {
    return new PutOptions(ttl, tags, Optional.empty(), true);
  }
}
