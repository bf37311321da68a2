package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.hub.HubRequest.Join;
import dev.troupe.actors.rooms.hub.HubRequest.Leave;
import dev.troupe.actors.rooms.hub.HubRequest.Send;
import dev.troupe.actors.rooms.room.RoomJournal;
import org.apache.pekko.Done;
import org.apache.pekko.pattern.StatusReply;

/**
 * What a hub's local clients ask of it: a join (refused when the room has its most connections)
 * queues {@code Joined}, the presence, then the messages after its {@code since} as one {@code
 * Replay} up to the last offset delivered, live ones following; a leave, a signal to the room.
 * Not thread-safe: the hub's own.
 */
final class HubJoins {

  private final String org;
  private final String room;
  private final RoomJournal journal;
  private final HubMembers members;
  private final RoomPresence presence;
  private final MessageFlow flow;
  private final HubRechecks rechecks;
  private final HubEffects effects;

  HubJoins(
      String org,
      String room,
      RoomJournal journal,
      HubMembers members,
      RoomPresence presence,
      MessageFlow flow,
      HubRechecks rechecks,
      HubEffects effects) {
    this.org = org;
    this.room = room;
    this.journal = journal;
    this.members = members;
    this.presence = presence;
    this.flow = flow;
    this.rechecks = rechecks;
    this.effects = effects;
  }

  void join(Join join) {
    flow.head(join.info().head());
    RoomClient client = join.client();
    HubMember member = members.get(client.id());
    if (member == null) {
      if (presence.connectionCount() >= join.info().settings().maxConnections()) {
        join.replyTo()
            .tell(StatusReply.error(new RoomException(RoomException.Kind.ROOM_FULL, "the room has its most connections")));
        members.idleIfEmpty();
        return;
      }
      member = members.add(client);
      effects.cancelIdleCountdown();
    }
    member.token = join.token();
    member.admin = join.admin();
    member.joinSeq = members.nextJoin();
    rechecks.joined(client.user());
    long last = flow.last();
    boolean live =
        member.client.offer(new RoomOutput.Joined(room, join.ref(), Math.max(last, join.info().head())))
            && member.client.offer(new RoomOutput.PresenceSnapshot(presence.snapshot()));
    member.skipUntil = last;
    if (join.since().isPresent()) {
      long since = Math.max(0, Math.min(join.since().getAsLong(), join.info().head()));
      if (since < last) {
        long after = Math.max(since, join.info().firstKept() - 1);
        live = live && member.client.offer(new RoomOutput.Replay(room, journal.messages(org, room, after, last + 1, Long.MAX_VALUE)));
      } else {
        member.skipUntil = since;
      }
    }
    if (!live) {
      members.remove(member, true);
    }
    join.replyTo().tell(StatusReply.success(Done.getInstance()));
  }

  void leave(Leave leave) {
    HubMember member = members.get(leave.client().id());
    if (member != null) {
      members.remove(member, false);
    }
    if (leave.ref() != null) {
      leave.client().offer(new RoomOutput.Left(room, leave.ref()));
    }
    members.idleIfEmpty();
  }

  void send(Send send) {
    RoomClient client = send.client();
    if (members.contains(client.id())) {
      effects.publish(new RoomBroadcast.Signal(room, client.id(), client.user(), send.body()));
    }
    members.idleIfEmpty();
  }
}
