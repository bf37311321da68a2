package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.PresenceMeta;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A hub's local clients: who is in the room on this node, their presence as they come and go, and
 * the outputs handed to them. Outputs go by {@link RoomClient#offer}, which never waits: a client
 * that cannot take one is put out of the room alone. Not thread-safe: the hub's own.
 */
final class HubMembers {

  private final String room;
  private final String selfNode;
  private final ClientRooms clients;
  private final RoomPresence presence;
  private final HubEffects effects;

  private final Map<String, HubMember> members = new LinkedHashMap<>();
  /** Joins so far (marks each member's latest join). */
  private long joins;

  HubMembers(String room, String selfNode, ClientRooms clients, RoomPresence presence, HubEffects effects) {
    this.room = room;
    this.selfNode = selfNode;
    this.clients = clients;
    this.presence = presence;
    this.effects = effects;
  }

  /** The client's membership, or null. */
  HubMember get(String clientId) {
    return members.get(clientId);
  }

  boolean contains(String clientId) {
    return members.containsKey(clientId);
  }

  boolean isEmpty() {
    return members.isEmpty();
  }

  /** Joins so far; a join marks its member with the next one ({@link #nextJoin}). */
  long joins() {
    return joins;
  }

  /** Counts a join. */
  long nextJoin() {
    return ++joins;
  }

  /** Adds a client that was not in the room: its presence joins. */
  HubMember add(RoomClient client) {
    HubMember member = new HubMember(client, new PresenceMeta(client.id(), selfNode, client.kind(), Instant.now()));
    members.put(client.id(), member);
    presence.localJoined(member.client.user(), member.meta);
    effects.scheduleFlush();
    return member;
  }

  /** Each distinct local user with the admin flag they joined with. */
  Set<AccessRecheck.Who> present() {
    Set<AccessRecheck.Who> present = new LinkedHashSet<>();
    for (HubMember member : members.values()) {
      present.add(new AccessRecheck.Who(member.client.user(), member.admin));
    }
    return present;
  }

  /** The members a refusal applies to: that user with that admin flag, joined at or before {@code seq}. */
  List<HubMember> refused(String user, boolean admin, long seq) {
    List<HubMember> refused = new ArrayList<>();
    for (HubMember member : members.values()) {
      if (member.client.user().equals(user) && member.admin == admin && member.joinSeq <= seq) {
        refused.add(member);
      }
    }
    return refused;
  }

  /**
   * Takes the client out of the room: its presence leaves. {@code byHub} when the hub decided it
   * (the registry is told); a leave the client asked for is already known there.
   */
  void remove(HubMember member, boolean byHub) {
    if (members.remove(member.client.id()) == null) {
      return;
    }
    presence.localLeft(member.client.user(), member.meta);
    effects.scheduleFlush();
    if (byHub) {
      clients.left(member.client, room, member.token);
    }
    idleIfEmpty();
  }

  /**
   * (Re)starts the countdown to stopping while no client is here: a request that arrived after
   * the hub said it was idle keeps it alive for another period.
   */
  void idleIfEmpty() {
    if (members.isEmpty()) {
      effects.startIdleCountdown();
    }
  }

  /** Hands the messages, in order, to every member whose join did not cover them. */
  void deliver(List<RoomMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    List<HubMember> slow = new ArrayList<>();
    for (RoomMessage message : messages) {
      RoomOutput.Message output = new RoomOutput.Message(message);
      for (HubMember member : members.values()) {
        if (message.offset() > member.skipUntil && !member.client.offer(output)) {
          slow.add(member);
        }
      }
      if (!slow.isEmpty()) {
        slow.forEach(m -> remove(m, true));
        slow.clear();
      }
    }
  }

  /** Hands the output to the members {@code to} selects; then puts out those that could not take it. */
  void offerEach(RoomOutput output, Predicate<HubMember> to) {
    List<HubMember> slow = new ArrayList<>();
    for (HubMember member : members.values()) {
      if (to.test(member) && !member.client.offer(output)) {
        slow.add(member);
      }
    }
    slow.forEach(m -> remove(m, true));
  }

  /** Another connection's signal: to every member but the sender's connection and API subscribers. */
  void signal(RoomBroadcast.Signal signal) {
    RoomOutput.Signal output = new RoomOutput.Signal(room, signal.sender(), signal.body());
    offerEach(output, member -> !member.client.id().equals(signal.fromConnection()) && !member.isApi());
  }

  /** The user was kicked: their connections get {@code Removed} and are closed. */
  void kick(RoomBroadcast.Removal removal) {
    RoomOutput.Removed output =
        new RoomOutput.Removed(room, removal.code(), removalMessage(removal.code()), true);
    for (HubMember member : new ArrayList<>(members.values())) {
      if (member.client.user().equals(removal.user())) {
        member.client.offer(output);
        remove(member, true);
        clients.end(member.client);
      }
    }
  }

  /** The room closed: every member gets {@code Closed} and leaves. */
  void closed() {
    RoomOutput.Closed output = new RoomOutput.Closed(room);
    for (HubMember member : new ArrayList<>(members.values())) {
      member.client.offer(output);
      remove(member, true);
    }
  }

  /** Puts the members out of the room, then hands each the output. */
  void putOut(Collection<HubMember> put, RoomOutput output) {
    for (HubMember member : put) {
      remove(member, true);
      member.client.offer(output);
    }
  }

  /** What a member put out of the room with {@code code} is told. */
  static String removalMessage(String code) {
    return switch (code) {
      case "kicked" -> "you were disconnected from the room";
      case "banned" -> "you are banned from the room";
      case "not_member" -> "you are no longer a member of the room";
      case "forbidden" -> "you may no longer read the room";
      default -> "you were put out of the room";
    };
  }
}
