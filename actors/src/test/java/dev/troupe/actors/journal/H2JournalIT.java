package dev.troupe.actors.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The journal contract on the embedded H2 file journal. */
class H2JournalIT extends JournalContract {

  @TempDir static Path dataDir;

  @Override
  protected Config journalConfig() {
    return ConfigFactory.parseMap(
        Map.of("troupe.persistence.journal", "h2", "troupe.data-dir", dataDir.toString()));
  }
}
