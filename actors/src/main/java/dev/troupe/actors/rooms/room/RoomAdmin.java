package dev.troupe.actors.rooms.room;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.PostResult;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.room.RoomCommand.Configured;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;

/** STUB (helper A implements): the room and directory entities behind {@code Rooms}. */
public final class RoomAdmin {

  public RoomAdmin(ActorSystem<?> system, RoomsSettings settings, RoomJournal journal) {}

  public void start() {}

  public CompletionStage<Configured> configure(Principal principal, String requestId, String room, RoomSettings settings) {
    throw new UnsupportedOperationException("stub");
  }

  public CompletionStage<List<RoomInfo>> list(Principal principal) {
    throw new UnsupportedOperationException("stub");
  }

  public CompletionStage<Done> close(Principal principal, String requestId, String room) {
    throw new UnsupportedOperationException("stub");
  }

  public CompletionStage<Done> setMember(Principal principal, String requestId, String room, String user, boolean member) {
    throw new UnsupportedOperationException("stub");
  }

  public CompletionStage<Done> setBan(Principal principal, String requestId, String room, String user, boolean banned) {
    throw new UnsupportedOperationException("stub");
  }

  public CompletionStage<Done> kick(Principal principal, String requestId, String room, String user) {
    throw new UnsupportedOperationException("stub");
  }

  public CompletionStage<PostResult> post(
      Principal principal, String requestId, String room, Optional<String> idempotencyKey, String body) {
    throw new UnsupportedOperationException("stub");
  }

  public CompletionStage<List<RoomMessage>> history(
      Principal principal, String room, OptionalLong after, OptionalLong before, int limit) {
    throw new UnsupportedOperationException("stub");
  }

  /**
   * Whether the principal may join and read the room: its info (head included), or a stage failed
   * with RoomException NOT_FOUND / FORBIDDEN / INVALID.
   */
  public CompletionStage<RoomInfo> access(Principal principal, String room) {
    throw new UnsupportedOperationException("stub");
  }
}
