package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.PostResult;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.room.RoomCommand.Configured;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.Done;

/**
 * A room's decisions: a command and the current state (and the time, for posts) give the events to
 * persist and the reply, or a refusal. Pure apart from the audit records it is given to stamp.
 *
 * <p>Rules: a room that was never created or is closed is {@code not_found} for everything but
 * Configure (which creates or reopens it). A banned user may neither join, read nor post. A
 * members-only room admits members and org admins. Posting: {@code ANYONE} who may join, {@code
 * MEMBERS} members and admins (in a public room too), {@code ADMINS} admins only. A keyed post
 * whose key the room still remembers for that sender answers the first result, {@code replayed}.
 */
public final class RoomDecider {

  /**
   * What a command leads to.
   *
   * @param events to persist, in order (empty when nothing changes)
   * @param reply the answer once they are persisted, null when refused
   * @param refusal why it was refused, or null
   */
  public record Decision<R>(List<RoomEvent> events, R reply, RoomException refusal) {

    static <R> Decision<R> accept(List<RoomEvent> events, R reply) {
      return new Decision<>(List.copyOf(events), reply, null);
    }

    static <R> Decision<R> refuse(RoomException refusal) {
      return new Decision<>(List.of(), null, refusal);
    }

    public boolean refused() {
      return refusal != null;
    }
  }

  private final String room;
  private final KeyLimits keyLimits;
  private final long maxHistory;
  private final int maxConnections;
  private final Function<RequestContext, AuditRecord> audit;

  /**
   * @param room the room's name (without its org)
   * @param keyLimits idempotency keys remembered
   * @param maxHistory the most history settings may ask for
   * @param maxConnections the most connections settings may ask for
   * @param audit stamps events with who caused them
   */
  public RoomDecider(
      String room,
      KeyLimits keyLimits,
      long maxHistory,
      int maxConnections,
      Function<RequestContext, AuditRecord> audit) {
    this.room = room;
    this.keyLimits = keyLimits;
    this.maxHistory = maxHistory;
    this.maxConnections = maxConnections;
    this.audit = audit;
  }

  /** Creates, reopens or reconfigures; unchanged settings persist nothing. */
  public Decision<Configured> configure(RoomState state, RoomCommand.Configure c) {
    RoomSettings settings;
    try {
      settings = RoomNames.settings(c.settings(), maxHistory, maxConnections);
    } catch (RoomException e) {
      return Decision.refuse(e);
    }
    if (!state.open()) {
      RoomEvent created = new RoomEvent.Created(audit.apply(c.context()), settings);
      return Decision.accept(
          List.of(created), new Configured(after(state, created).info(room), true));
    }
    if (state.settings().equals(settings)) {
      return Decision.accept(List.of(), new Configured(state.info(room), false));
    }
    RoomEvent changed = new RoomEvent.SettingsChanged(audit.apply(c.context()), settings);
    return Decision.accept(
        List.of(changed), new Configured(after(state, changed).info(room), false));
  }

  public Decision<Done> close(RoomState state, RoomCommand.Close c) {
    if (!state.open()) {
      return Decision.refuse(RoomRefusals.notFound(room));
    }
    return Decision.accept(
        List.of(new RoomEvent.Closed(audit.apply(c.context()))), Done.getInstance());
  }

  /** Adds or removes a member; no event when nothing changes. */
  public Decision<Done> setMember(RoomState state, RoomCommand.SetMember c) {
    Optional<RoomException> refusal = checkTarget(state, c.user());
    if (refusal.isPresent()) {
      return Decision.refuse(refusal.get());
    }
    if (state.isMember(c.user()) == c.member()) {
      return Decision.accept(List.of(), Done.getInstance());
    }
    RoomEvent event =
        c.member()
            ? new RoomEvent.MemberAdded(audit.apply(c.context()), c.user())
            : new RoomEvent.MemberRemoved(audit.apply(c.context()), c.user());
    return Decision.accept(List.of(event), Done.getInstance());
  }

  /** Bans or unbans; no event when nothing changes. */
  public Decision<Done> setBan(RoomState state, RoomCommand.SetBan c) {
    Optional<RoomException> refusal = checkTarget(state, c.user());
    if (refusal.isPresent()) {
      return Decision.refuse(refusal.get());
    }
    if (state.isBanned(c.user()) == c.banned()) {
      return Decision.accept(List.of(), Done.getInstance());
    }
    RoomEvent event =
        c.banned()
            ? new RoomEvent.Banned(audit.apply(c.context()), c.user())
            : new RoomEvent.Unbanned(audit.apply(c.context()), c.user());
    return Decision.accept(List.of(event), Done.getInstance());
  }

  /** Always recorded, whether or not the user is connected. */
  public Decision<Done> kick(RoomState state, RoomCommand.Kick c) {
    Optional<RoomException> refusal = checkTarget(state, c.user());
    if (refusal.isPresent()) {
      return Decision.refuse(refusal.get());
    }
    return Decision.accept(
        List.of(new RoomEvent.Kicked(audit.apply(c.context()), c.user())), Done.getInstance());
  }

  /**
   * Posts as the context's principal at {@code now}, or answers a remembered key's first result.
   */
  public Decision<PostResult> post(RoomState state, RoomCommand.Post c, Instant now) {
    String sender = c.context().principal();
    Optional<RoomException> refusal = checkAccess(state, sender, c.admin());
    if (refusal.isEmpty()) {
      refusal = checkPosting(state, sender, c.admin());
    }
    if (refusal.isPresent()) {
      return Decision.refuse(refusal.get());
    }
    String key = c.idempotencyKey().orElse(null);
    if (key != null) {
      Optional<RoomState.Remembered> first =
          state
              .remembered(sender, key)
              .filter(r -> r.timestamp().plus(keyLimits.ttl()).isAfter(now));
      if (first.isPresent()) {
        RoomState.Remembered r = first.get();
        return Decision.accept(
            List.of(), new PostResult(room, r.offset(), sender, r.timestamp(), true));
      }
    }
    long offset = state.head() + 1;
    RoomEvent posted =
        new RoomEvent.Posted(audit.apply(c.context()), offset, sender, now, key, c.body());
    return Decision.accept(List.of(posted), new PostResult(room, offset, sender, now, false));
  }

  /** The room's info if the user may join and read it. */
  public Decision<RoomInfo> access(RoomState state, String user, boolean admin) {
    Optional<RoomException> refusal = checkAccess(state, user, admin);
    return refusal.isPresent()
        ? Decision.refuse(refusal.get())
        : Decision.accept(List.of(), state.info(room));
  }

  /** The room's info if it is open. */
  public Decision<RoomInfo> info(RoomState state) {
    return state.open()
        ? Decision.accept(List.of(), state.info(room))
        : Decision.refuse(RoomRefusals.notFound(room));
  }

  /** The state after an event, with this room's key limits. */
  public RoomState after(RoomState state, RoomEvent event) {
    return state.apply(event, keyLimits);
  }

  private Optional<RoomException> checkTarget(RoomState state, String user) {
    if (!state.open()) {
      return Optional.of(RoomRefusals.notFound(room));
    }
    try {
      RoomNames.user(user);
      return Optional.empty();
    } catch (RoomException e) {
      return Optional.of(e);
    }
  }

  private Optional<RoomException> checkAccess(RoomState state, String user, boolean admin) {
    if (!state.open()) {
      return Optional.of(RoomRefusals.notFound(room));
    }
    if (state.isBanned(user)) {
      return Optional.of(RoomRefusals.banned(room));
    }
    if (state.settings().visibility() == RoomSettings.Visibility.MEMBERS
        && !admin
        && !state.isMember(user)) {
      return Optional.of(RoomRefusals.membersOnly(room));
    }
    return Optional.empty();
  }

  private Optional<RoomException> checkPosting(RoomState state, String user, boolean admin) {
    return switch (state.settings().posting()) {
      case ANYONE -> Optional.empty();
      case MEMBERS ->
          admin || state.isMember(user)
              ? Optional.empty()
              : Optional.of(RoomRefusals.forbidden("only members may post to room " + room));
      case ADMINS ->
          admin
              ? Optional.empty()
              : Optional.of(RoomRefusals.forbidden("only admins may post to room " + room));
    };
  }
}
