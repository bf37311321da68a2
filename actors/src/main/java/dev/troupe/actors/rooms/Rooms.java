package dev.troupe.actors.rooms;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.live.RoomLive;
import dev.troupe.actors.rooms.room.RoomAdmin;
import dev.troupe.actors.rooms.room.RoomCommand.Configured;
import dev.troupe.actors.rooms.room.RoomJournal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Rooms for applications and the HTTP edge: real-time messaging with durable, resumable history
 * and presence. Every method is tenant-scoped by the principal's org; another org's room does not
 * exist. Stages fail with {@link RoomException}.
 *
 * <p>A room is an event-sourced entity that orders and persists messages ({@link RoomAdmin}); live
 * delivery runs through one hub per node per room with local clients ({@link RoomLive}).
 */
public final class Rooms implements Extension {

  private static final ExtensionId<Rooms> ID =
      new ExtensionId<>() {
        @Override
        public Rooms createExtension(ActorSystem<?> system) {
          return new Rooms(system);
        }
      };

  private final RoomsSettings settings;
  private final RoomAdmin admin;
  private final RoomJournal journal;
  private final RoomLive live;

  private Rooms(ActorSystem<?> system) {
    this.settings = RoomsSettings.from(system.settings().config());
    this.journal = new RoomJournal(system, settings);
    this.admin = new RoomAdmin(system, settings, journal);
    this.live = new RoomLive(system, settings, admin, journal);
  }

  public static Rooms get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Starts the room entity types and this node's hubs. Call once per node before traffic. */
  public void start() {
    admin.start();
    live.start();
  }

  public RoomsSettings settings() {
    return settings;
  }

  // ---- administration (org admins; listing for every user of the org)

  /** Creates, reopens or reconfigures a room. */
  public CompletionStage<Configured> configure(Principal principal, String requestId, String room, RoomSettings settings) {
    return admin.configure(principal, requestId, room, settings);
  }

  /**
   * The org's open rooms, by name: all of them for admins, for others those they may read
   * (members-only rooms they are not a member of, and rooms they are banned from, are left out).
   */
  public CompletionStage<List<RoomInfo>> list(Principal principal) {
    return admin.list(principal);
  }

  /** Closes a room; its connected clients get {@code closed}. */
  public CompletionStage<Done> close(Principal principal, String requestId, String room) {
    return admin.close(principal, requestId, room);
  }

  public CompletionStage<Done> setMember(Principal principal, String requestId, String room, String user, boolean member) {
    return admin.setMember(principal, requestId, room, user, member);
  }

  public CompletionStage<Done> setBan(Principal principal, String requestId, String room, String user, boolean banned) {
    return admin.setBan(principal, requestId, room, user, banned);
  }

  /** Disconnects the user's live connections to the room, on every node. */
  public CompletionStage<Done> kick(Principal principal, String requestId, String room, String user) {
    return admin.kick(principal, requestId, room, user);
  }

  // ---- messages

  /**
   * Posts a JSON object (its text) as the principal. The stage completes once the message is in
   * the journal; a repeated idempotency key returns the first result.
   */
  public CompletionStage<PostResult> post(
      Principal principal, String requestId, String room, Optional<String> idempotencyKey, String body) {
    return admin.post(principal, requestId, room, idempotencyKey, body);
  }

  /**
   * A page of history: messages with {@code after < offset < before} (both optional), oldest
   * first, at most {@code limit}; with only {@code before}, the latest {@code limit} below it.
   */
  public CompletionStage<List<RoomMessage>> history(
      Principal principal, String room, OptionalLong after, OptionalLong before, int limit) {
    return admin.history(principal, room, after, before, limit);
  }

  /**
   * The room as the principal may see it (settings, head, members count): fails with {@link
   * RoomException} NOT_FOUND / FORBIDDEN when the principal may not read it.
   */
  public CompletionStage<RoomInfo> info(Principal principal, String room) {
    return admin.access(principal, room);
  }

  /** Who is connected to the room now, across the cluster. */
  public CompletionStage<PresenceState> presence(Principal principal, String room) {
    return live.presence(principal, room);
  }

  /**
   * The room's messages after {@code since} (exclusive; 0 for all kept), then live ones as they
   * are posted: in order, no gap, no duplicate. Fails with {@link RoomException} when the room is
   * closed or the principal may not read it.
   */
  public Source<RoomMessage, NotUsed> subscribe(Principal principal, String room, long since) {
    return live.subscribe(principal, room, since);
  }

  /** Live connections (WebSocket and SSE clients) and the per-node registry of them. */
  public RoomLive live() {
    return live;
  }
}
