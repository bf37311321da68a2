package dev.troupe.actors.cache;

/**
 * A namespace's figures, summed over its buckets. Entries, bytes, evictions and expirations come
 * from the buckets' persisted state; hits and misses are counted in memory since each bucket last
 * started.
 */
public record CacheStats(long entries, long bytes, long hits, long misses, long evictions, long expirations) {

  public static final CacheStats EMPTY = new CacheStats(0, 0, 0, 0, 0, 0);

  public CacheStats plus(CacheStats other) {
    return new CacheStats(
        entries + other.entries,
        bytes + other.bytes,
        hits + other.hits,
        misses + other.misses,
        evictions + other.evictions,
        expirations + other.expirations);
  }
}
