package dev.troupe.http.security;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code troupe.http.protections.rate-limits}: groups of limits by name, which path prefix belongs
 * to which group (longest prefix wins, else {@code default}), and how many buckets a node keeps.
 *
 * @param groups the groups by name; {@code default} always exists
 * @param paths path prefix to group name, longest prefix first
 * @param maxBuckets most buckets kept in memory (past it, rarely and least recently used ones go
 *     first)
 * @param idleExpiry a bucket untouched this long is dropped (it would be full again anyway)
 */
record RateLimitSettings(
    Map<String, Group> groups,
    List<Map.Entry<String, String>> paths,
    long maxBuckets,
    Duration idleExpiry) {

  static final String DEFAULT_GROUP = "default";

  /** Reserved keys of the block that are not groups. */
  private static final List<String> RESERVED = List.of("paths", "max-buckets", "idle-expiry");

  /** Rate (tokens per second) and burst (bucket size) of one kind of limit. */
  record Limit(double rate, double burst) {
    Limit {
      if (rate <= 0 || burst < 1) {
        throw new IllegalArgumentException("a rate limit needs rate > 0 and burst >= 1");
      }
    }
  }

  /** The limits of a group; an absent one means that kind is not limited in this group. */
  record Group(
      String name,
      Optional<Limit> perIp,
      Optional<Limit> perPrincipal,
      Optional<Limit> perApiKey) {}

  static RateLimitSettings from(Config c) {
    Map<String, Group> groups = new LinkedHashMap<>();
    for (var entry : c.root().entrySet()) {
      String name = entry.getKey();
      if (RESERVED.contains(name) || entry.getValue().valueType() != ConfigValueType.OBJECT) {
        continue;
      }
      Config g = c.getConfig("\"" + name + "\"");
      groups.put(
          name,
          new Group(name, limit(g, "per-ip"), limit(g, "per-principal"), limit(g, "per-api-key")));
    }
    groups.putIfAbsent(
        DEFAULT_GROUP,
        new Group(DEFAULT_GROUP, Optional.empty(), Optional.empty(), Optional.empty()));
    List<Map.Entry<String, String>> paths =
        c.getConfig("paths").root().entrySet().stream()
            .map(e -> Map.entry(e.getKey(), String.valueOf(e.getValue().unwrapped())))
            .sorted(
                Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length())
                    .reversed())
            .toList();
    for (var path : paths) {
      if (!groups.containsKey(path.getValue())) {
        throw new IllegalArgumentException(
            "rate-limits.paths maps " + path.getKey() + " to unknown group " + path.getValue());
      }
    }
    return new RateLimitSettings(
        Map.copyOf(groups), paths, c.getLong("max-buckets"), c.getDuration("idle-expiry"));
  }

  /** The group of a request path. */
  Group groupOf(String path) {
    for (var entry : paths) {
      if (path.startsWith(entry.getKey())) {
        return groups.get(entry.getValue());
      }
    }
    return groups.get(DEFAULT_GROUP);
  }

  private static Optional<Limit> limit(Config group, String kind) {
    if (!group.hasPath(kind)) {
      return Optional.empty();
    }
    Config l = group.getConfig(kind);
    return Optional.of(new Limit(l.getDouble("rate"), l.getDouble("burst")));
  }
}
