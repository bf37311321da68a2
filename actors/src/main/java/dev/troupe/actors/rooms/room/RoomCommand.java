package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.PostResult;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.RequestContext;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What a room entity ({@code room}, id {@code <org>:<room>}) is asked. Refusals are
 * {@code StatusReply} errors whose text is {@code <code>: <message>} with a {@code
 * RoomException.Kind} code ({@link RoomRefusals}).
 */
public sealed interface RoomCommand extends TroupeSerializable {

  /** What a configure did: created (or reopened) the room, or changed its settings. */
  record Configured(RoomInfo info, boolean created) implements TroupeSerializable {}

  /** Creates the room, reopens a closed one, or changes its settings. */
  record Configure(RequestContext context, RoomSettings settings, ActorRef<StatusReply<Configured>> replyTo)
      implements RoomCommand {}

  /** Closes the room: posts and joins are refused as {@code not_found} until it is configured again. */
  record Close(RequestContext context, ActorRef<StatusReply<Done>> replyTo) implements RoomCommand {}

  /** Adds or removes a member (removal puts the user's connections out of a members-only room). */
  record SetMember(RequestContext context, String user, boolean member, ActorRef<StatusReply<Done>> replyTo)
      implements RoomCommand {}

  /** Bans or unbans a user (a ban puts the user's connections out). */
  record SetBan(RequestContext context, String user, boolean banned, ActorRef<StatusReply<Done>> replyTo)
      implements RoomCommand {}

  /** Disconnects a user's live connections to the room (recorded for audit). */
  record Kick(RequestContext context, String user, ActorRef<StatusReply<Done>> replyTo) implements RoomCommand {}

  /**
   * Posts a message. {@code admin} is whether the sender is an org admin of the room's org; the
   * sender is the context's principal. The body is a JSON object's text, checked by the caller.
   */
  record Post(
      RequestContext context,
      boolean admin,
      Optional<String> idempotencyKey,
      String body,
      ActorRef<StatusReply<PostResult>> replyTo)
      implements RoomCommand {}

  /**
   * Whether the user may join and read the room; answers its info (head included) if so, {@code
   * not_found} or {@code forbidden} if not.
   */
  record Access(String user, boolean admin, ActorRef<StatusReply<RoomInfo>> replyTo) implements RoomCommand {}

  /** Its info, for admins ({@code not_found} if it does not exist or is closed). */
  record GetInfo(ActorRef<StatusReply<RoomInfo>> replyTo) implements RoomCommand {}
}
