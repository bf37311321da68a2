package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import java.time.Instant;

/**
 * What happened to a room ({@link RoomEntity}). {@link RoomState#apply} folds them. Only {@link
 * Posted} takes an offset: offsets stay dense however many other events the room records.
 */
public sealed interface RoomEvent extends AuditedEvent {

  /** The room was created, or reopened after it was closed (history, members and bans kept). */
  record Created(AuditRecord audit, RoomSettings settings) implements RoomEvent {}

  /** An open room's settings changed. */
  record SettingsChanged(AuditRecord audit, RoomSettings settings) implements RoomEvent {}

  /**
   * A message was posted.
   *
   * @param offset its dense place in the room (the previous head + 1)
   * @param sender the username that posted it
   * @param timestamp when the room accepted it
   * @param idempotencyKey the poster's key, or null; kept so that recovery remembers it
   * @param body the JSON object as text, exactly as posted
   */
  record Posted(
      AuditRecord audit,
      long offset,
      String sender,
      Instant timestamp,
      String idempotencyKey,
      String body)
      implements RoomEvent {}

  /** A user became a member. */
  record MemberAdded(AuditRecord audit, String user) implements RoomEvent {}

  /** A user is no longer a member. */
  record MemberRemoved(AuditRecord audit, String user) implements RoomEvent {}

  /** A user was banned: may neither join, read nor post. */
  record Banned(AuditRecord audit, String user) implements RoomEvent {}

  /** A user's ban was lifted. */
  record Unbanned(AuditRecord audit, String user) implements RoomEvent {}

  /** A user's live connections were put out of the room (recorded for audit only). */
  record Kicked(AuditRecord audit, String user) implements RoomEvent {}

  /** The room was closed. */
  record Closed(AuditRecord audit) implements RoomEvent {}
}
