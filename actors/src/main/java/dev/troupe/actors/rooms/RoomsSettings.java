package dev.troupe.actors.rooms;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code troupe.rooms}: limits and timings of rooms (documented in the actors module's {@code
 * reference.conf}).
 */
public record RoomsSettings(
    int maxMessageBytes,
    int maxSignalBytes,
    int maxRoomsPerOrg,
    int maxRoomNameBytes,
    RoomSettings defaults,
    long maxHistoryLimit,
    int maxConnectionsLimit,
    int historyPageLimit,
    int idempotencyKeys,
    Duration idempotencyTtl,
    int clientBuffer,
    int maxRoomsPerConnection,
    double postsPerSecond,
    int postBurst,
    Duration headAnnounceDelay,
    Duration presenceBatchInterval,
    int presenceListThreshold,
    Duration presenceRefreshInterval,
    Duration hubIdleStop,
    Duration gapFillTimeout,
    Duration clientStartTimeout) {

  public static RoomsSettings from(Config root) {
    Config c = root.getConfig("troupe.rooms");
    Config d = c.getConfig("defaults");
    RoomSettings defaults =
        new RoomSettings(
            RoomSettings.Visibility.valueOf(d.getString("visibility").toUpperCase(java.util.Locale.ROOT)),
            d.getLong("max-history"),
            d.getInt("max-connections"),
            RoomSettings.Posting.valueOf(d.getString("posting").toUpperCase(java.util.Locale.ROOT)));
    return new RoomsSettings(
        (int) c.getBytes("max-message-size").longValue(),
        (int) c.getBytes("max-signal-size").longValue(),
        c.getInt("max-rooms-per-org"),
        c.getInt("max-room-name-bytes"),
        defaults,
        c.getLong("limits.max-history"),
        c.getInt("limits.max-connections"),
        c.getInt("history-page-limit"),
        c.getInt("idempotency.keys"),
        c.getDuration("idempotency.ttl"),
        c.getInt("client.buffer"),
        c.getInt("client.max-rooms"),
        c.getDouble("client.posts-per-second"),
        c.getInt("client.post-burst"),
        c.getDuration("head-announce-delay"),
        c.getDuration("presence.batch-interval"),
        c.getInt("presence.list-threshold"),
        c.getDuration("presence.refresh-interval"),
        c.getDuration("hub-idle-stop"),
        c.getDuration("gap-fill-timeout"),
        c.getDuration("client.start-timeout"));
  }
}
