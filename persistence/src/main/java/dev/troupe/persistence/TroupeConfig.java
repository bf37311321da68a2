package dev.troupe.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.journal.JournalConfig;

/**
 * Loads a node's configuration in layers: the given overrides (flags, tests), {@code
 * application.conf}, every module's {@code troupe-defaults.conf}, then all {@code reference.conf}
 * files. Troupe's own keys live in its modules' {@code reference.conf}; the Pekko and plugin
 * settings Troupe changes live in {@code troupe-defaults.conf}, because one library's {@code
 * reference.conf} cannot reliably override another's (their merge order is the classpath's).
 */
public final class TroupeConfig {

  /** The resource name every module may ship its changed library settings under. */
  public static final String DEFAULTS_RESOURCE = "troupe-defaults.conf";

  private TroupeConfig() {}

  /** The resolved configuration, with the journal plugin settings derived from {@code troupe.*}. */
  public static Config load(Config overrides) {
    Config layered =
        overrides
            .withFallback(ConfigFactory.defaultApplication())
            .withFallback(ConfigFactory.parseResources(DEFAULTS_RESOURCE));
    return JournalConfig.withPluginSettings(ConfigFactory.load(layered));
  }

  public static Config load() {
    return load(ConfigFactory.empty());
  }
}
