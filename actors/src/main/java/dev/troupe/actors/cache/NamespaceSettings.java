package dev.troupe.actors.cache;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import dev.troupe.actors.identity.Names;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One namespace's settings: {@code troupe.cache} defaults overlaid with {@code
 * troupe.cache.namespaces.<name>}.
 *
 * @param durable false keeps entries in replicated memory only (no journal, no audit events)
 * @param defaultTtl ttl of a put that names none
 * @param maxTtl longest ttl accepted (longer is refused as invalid)
 * @param maxEntries most live entries; each bucket holds at most {@code ceil(maxEntries / buckets)}
 * @param maxBytes most value bytes; each bucket holds at most {@code ceil(maxBytes / buckets)}
 */
public record NamespaceSettings(
    boolean durable, Duration defaultTtl, Duration maxTtl, long maxEntries, long maxBytes) {

  public NamespaceSettings {
    if (defaultTtl == null || defaultTtl.isNegative() || defaultTtl.isZero()) {
      throw new IllegalArgumentException("default-ttl must be positive");
    }
    if (maxTtl == null || maxTtl.compareTo(defaultTtl) < 0) {
      throw new IllegalArgumentException("max-ttl must be at least default-ttl");
    }
    if (maxEntries < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("max-entries and max-bytes must be >= 1");
    }
  }

  /**
   * The defaults every namespace starts from: the keys {@code durable}, {@code default-ttl},
   * {@code max-ttl}, {@code max-entries} and {@code max-bytes} of {@code troupe.cache}.
   */
  public static NamespaceSettings defaultsFrom(Config config) {
    Config c = config.getConfig("troupe.cache");
    return new NamespaceSettings(
        c.getBoolean("durable"),
        c.getDuration("default-ttl"),
        c.getDuration("max-ttl"),
        c.getLong("max-entries"),
        c.getBytes("max-bytes"));
  }

  /**
   * The namespaces declared under {@code troupe.cache.namespaces}, each overlaid on the defaults.
   *
   * @throws IllegalArgumentException if a declared name is not a valid namespace name or a block
   *     has an invalid value
   */
  public static Map<String, NamespaceSettings> declaredIn(Config config) {
    NamespaceSettings defaults = defaultsFrom(config);
    Config namespaces = config.getConfig("troupe.cache.namespaces");
    Map<String, NamespaceSettings> declared = new HashMap<>();
    for (String name : namespaces.root().keySet()) {
      if (!Names.valid(name)) {
        throw new IllegalArgumentException(
            "troupe.cache.namespaces: \""
                + name
                + "\" is not a namespace name ("
                + Names.PATTERN
                + ")");
      }
      try {
        Config block = namespaces.getConfig(ConfigUtil.quoteString(name));
        declared.put(name, defaults.overlaidWith(block));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "troupe.cache.namespaces.\"" + name + "\": " + e.getMessage(), e);
      }
    }
    return Map.copyOf(declared);
  }

  /** These settings with the keys the block sets replaced. */
  public NamespaceSettings overlaidWith(Config block) {
    return new NamespaceSettings(
        block.hasPath("durable") ? block.getBoolean("durable") : durable,
        block.hasPath("default-ttl") ? block.getDuration("default-ttl") : defaultTtl,
        block.hasPath("max-ttl") ? block.getDuration("max-ttl") : maxTtl,
        block.hasPath("max-entries") ? block.getLong("max-entries") : maxEntries,
        block.hasPath("max-bytes") ? block.getBytes("max-bytes") : maxBytes);
  }
}
