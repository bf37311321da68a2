package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomSettings.Posting;
import dev.troupe.actors.rooms.RoomSettings.Visibility;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.testkit.GoldenSamples;
import dev.troupe.persistence.audit.AuditRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every persisted room and room-directory event and state still reads back from its golden bytes.
 */
class RoomSerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final AuditRecord AUDIT =
      new AuditRecord("ada", "acme", "req-1", "node-a", Instant.parse("2026-01-02T03:04:05.678Z"));
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final RoomSettings SETTINGS =
      new RoomSettings(Visibility.MEMBERS, 500, 20, Posting.MEMBERS);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void roomEventsAndStateReadBackFromGoldenSamples() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("room/Created-v1", new RoomEvent.Created(AUDIT, SETTINGS));
    events.put(
        "room/SettingsChanged-v1",
        new RoomEvent.SettingsChanged(
            AUDIT, new RoomSettings(Visibility.PUBLIC, 10, 1, Posting.ADMINS)));
    events.put(
        "room/Posted-v1",
        new RoomEvent.Posted(AUDIT, 42, "ann", T0, "key-1", "{\"text\":\"héllo\"}"));
    events.put("room/Posted-nokey-v1", new RoomEvent.Posted(AUDIT, 43, "bob", T0, null, "{}"));
    events.put("room/MemberAdded-v1", new RoomEvent.MemberAdded(AUDIT, "ann"));
    events.put("room/MemberRemoved-v1", new RoomEvent.MemberRemoved(AUDIT, "ann"));
    events.put("room/Banned-v1", new RoomEvent.Banned(AUDIT, "eve"));
    events.put("room/Unbanned-v1", new RoomEvent.Unbanned(AUDIT, "eve"));
    events.put("room/Kicked-v1", new RoomEvent.Kicked(AUDIT, "bob"));
    events.put("room/Closed-v1", new RoomEvent.Closed(AUDIT));
    GoldenSamples.assertCovers(RoomEvent.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put("room/State-empty-v1", RoomState.EMPTY);
    all.put(
        "room/State-v1",
        new RoomState(
            SETTINGS,
            T0,
            true,
            43,
            Set.of("ann", "bob"),
            Set.of("eve"),
            List.of(new RoomState.Remembered("ann", "key-1", 42, T0))));
    all.put(
        "room/State-v2",
        new RoomState(
            SETTINGS,
            T0,
            false,
            43,
            Set.of("ann"),
            Set.of("eve"),
            List.of(new RoomState.Remembered("ann", "key-1", 42, T0)),
            7));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }

  @Test
  void directoryEventsAndStateReadBackFromGoldenSamples() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("room-directory/Registered-v1", new DirectoryEvent.Registered(AUDIT, "lobby"));
    events.put("room-directory/Unregistered-v1", new DirectoryEvent.Unregistered(AUDIT, "lobby"));
    GoldenSamples.assertCovers(DirectoryEvent.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put("room-directory/State-v1", new DirectoryState(Set.of("lobby", "news", "random")));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }
}
