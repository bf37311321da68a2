package dev.troupe.actors.rooms.room;

import com.typesafe.config.Config;
import dev.troupe.persistence.testkit.SharedCassandra;

/** Rooms' administration and journal reads on a real Cassandra (the module's shared server). */
class RoomAdminCassandraIT extends RoomAdminContract {

  @Override
  protected Config journalConfig() {
    return SharedCassandra.config();
  }
}
