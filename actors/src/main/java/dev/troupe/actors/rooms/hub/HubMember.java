package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.RoomClient;

/** A local client in a hub's room, with what the hub knows of its join. The hub's own. */
final class HubMember {

  final RoomClient client;
  final PresenceMeta meta;
  Object token;
  /** Whether the client joined as an admin of the org's rooms. */
  boolean admin;
  /** The hub's join count at the client's latest join (rechecks asked before it skip it). */
  long joinSeq;
  /** Live messages at or below this offset were covered by the join's replay or since. */
  long skipUntil;

  HubMember(RoomClient client, PresenceMeta meta) {
    this.client = client;
    this.meta = meta;
  }

  /** Whether it is a Java API subscriber (messages only: no presence, no signals). */
  boolean isApi() {
    return "api".equals(client.kind());
  }
}
