package dev.troupe.actors.rooms.room;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Rooms' administration and journal reads on the embedded H2 file journal. */
class RoomAdminH2Test extends RoomAdminContract {

  @TempDir static Path dataDir;

  @Override
  protected Config journalConfig() {
    return ConfigFactory.parseMap(
        Map.of("troupe.persistence.journal", "h2", "troupe.data-dir", dataDir.toString()));
  }
}
