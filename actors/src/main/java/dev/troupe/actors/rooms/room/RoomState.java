package dev.troupe.actors.rooms.room;

import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.persistence.TroupeSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A room as its events leave it; also its snapshot. Immutable: {@link #apply} returns a copy.
 *
 * @param settings its settings, null until it is first created
 * @param created when it was first created, null until then
 * @param closed whether it is closed (it exists, but refuses everything as not found)
 * @param head the offset of its latest message, 0 when none
 * @param members its members (sorted)
 * @param bans its banned users (sorted)
 * @param keys the idempotency keys it remembers, oldest first
 * @param accessEpoch how many of its events may have put out someone connected: bans, kicks,
 *     closing, and while members-only, member removals and settings changes (hubs that see it grow
 *     in a {@code Head} ask again about their users, in case they missed the notice)
 */
public record RoomState(
    RoomSettings settings,
    Instant created,
    boolean closed,
    long head,
    Set<String> members,
    Set<String> bans,
    List<Remembered> keys,
    long accessEpoch)
    implements TroupeSerializable {

  /** Before the first event. */
  public static final RoomState EMPTY =
      new RoomState(null, null, false, 0, SortedNames.EMPTY, SortedNames.EMPTY, List.of(), 0);

  /**
   * A keyed post the room remembers, to answer its retries.
   *
   * @param sender who posted
   * @param key the idempotency key
   * @param offset the message's offset
   * @param timestamp when it was posted (the key is forgotten a TTL later)
   */
  public record Remembered(String sender, String key, long offset, Instant timestamp)
      implements TroupeSerializable {}

  public RoomState {
    members = SortedNames.of(members);
    bans = SortedNames.of(bans);
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  /** A state at access epoch 0. */
  public RoomState(
      RoomSettings settings,
      Instant created,
      boolean closed,
      long head,
      Set<String> members,
      Set<String> bans,
      List<Remembered> keys) {
    this(settings, created, closed, head, members, bans, keys, 0);
  }

  /** Whether it was ever created. */
  public boolean exists() {
    return settings != null;
  }

  /** Whether it exists and is not closed. */
  public boolean open() {
    return exists() && !closed;
  }

  public boolean isMember(String user) {
    return members.contains(user);
  }

  public boolean isBanned(String user) {
    return bans.contains(user);
  }

  /** The remembered post of a sender's key, expired or not. */
  public Optional<Remembered> remembered(String sender, String key) {
    for (int i = keys.size() - 1; i >= 0; i--) {
      Remembered r = keys.get(i);
      if (r.key().equals(key) && r.sender().equals(sender)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Its info as callers see it. Only for a room that exists. */
  public RoomInfo info(String room) {
    return new RoomInfo(room, settings, head, created, members.size());
  }

  /** The state after an event; keyed posts forget keys as the limits say. Pure. */
  public RoomState apply(RoomEvent event, KeyLimits limits) {
    RoomState next = fold(event, limits);
    return restrictsAccess(event) ? next.withAccessEpoch(accessEpoch + 1) : next;
  }

  /** Whether the event (applied to this state) may put out someone connected. */
  private boolean restrictsAccess(RoomEvent event) {
    if (event instanceof RoomEvent.Banned
        || event instanceof RoomEvent.Kicked
        || event instanceof RoomEvent.Closed) {
      return true;
    } else if (event instanceof RoomEvent.MemberRemoved) {
      return membersOnly(settings);
    } else if (event instanceof RoomEvent.SettingsChanged c) {
      return membersOnly(c.settings());
    }
    return false;
  }

  private static boolean membersOnly(RoomSettings settings) {
    return settings != null && settings.visibility() == RoomSettings.Visibility.MEMBERS;
  }

  private RoomState withAccessEpoch(long epoch) {
    return new RoomState(settings, created, closed, head, members, bans, keys, epoch);
  }

  private RoomState fold(RoomEvent event, KeyLimits limits) {
    if (event instanceof RoomEvent.Posted p) {
      List<Remembered> nextKeys = p.idempotencyKey() == null ? keys : remember(p, limits);
      return new RoomState(
          settings, created, closed, Math.max(head, p.offset()), members, bans, nextKeys, accessEpoch);
    } else if (event instanceof RoomEvent.Created c) {
      Instant first = created == null ? c.audit().timestamp() : created;
      return new RoomState(c.settings(), first, false, head, members, bans, keys, accessEpoch);
    } else if (event instanceof RoomEvent.SettingsChanged c) {
      return new RoomState(c.settings(), created, closed, head, members, bans, keys, accessEpoch);
    } else if (event instanceof RoomEvent.MemberAdded m) {
      return withMembers(((SortedNames) members).with(m.user()));
    } else if (event instanceof RoomEvent.MemberRemoved m) {
      return withMembers(((SortedNames) members).without(m.user()));
    } else if (event instanceof RoomEvent.Banned b) {
      return withBans(((SortedNames) bans).with(b.user()));
    } else if (event instanceof RoomEvent.Unbanned b) {
      return withBans(((SortedNames) bans).without(b.user()));
    } else if (event instanceof RoomEvent.Closed) {
      return new RoomState(settings, created, true, head, members, bans, keys, accessEpoch);
    } else if (event instanceof RoomEvent.Kicked) {
      return this;
    }
    throw new IllegalArgumentException("unknown room event " + event.getClass());
  }

  private RoomState withMembers(SortedNames next) {
    return new RoomState(settings, created, closed, head, next, bans, keys, accessEpoch);
  }

  private RoomState withBans(SortedNames next) {
    return new RoomState(settings, created, closed, head, members, next, keys, accessEpoch);
  }

  private List<Remembered> remember(RoomEvent.Posted p, KeyLimits limits) {
    if (limits.keys() == 0) {
      return keys;
    }
    Instant cutoff = p.timestamp().minus(limits.ttl());
    List<Remembered> next = new ArrayList<>(Math.min(keys.size() + 1, limits.keys() + 1));
    for (Remembered r : keys) {
      boolean expired = !r.timestamp().isAfter(cutoff);
      boolean replaced = r.key().equals(p.idempotencyKey()) && r.sender().equals(p.sender());
      if (!expired && !replaced) {
        next.add(r);
      }
    }
    next.add(new Remembered(p.sender(), p.idempotencyKey(), p.offset(), p.timestamp()));
    int excess = next.size() - limits.keys();
    return excess > 0 ? next.subList(excess, next.size()) : next;
  }
}
