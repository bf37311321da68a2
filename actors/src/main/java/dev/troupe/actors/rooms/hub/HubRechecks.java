package dev.troupe.actors.rooms.hub;

import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.room.RoomRefusals;
import dev.troupe.cluster.StageFailures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A hub's access rechecks. Access changes reach its clients even when a broadcast is lost (the
 * topic is at most once, and a new hub is not yet known to the room's topic instance for up to a
 * few seconds): on {@link RoomBroadcast.AccessChanged}, on a {@code banned} or {@code not_member}
 * {@link RoomBroadcast.Removal}, once at the end of the hub's warmup, and on a {@link
 * RoomBroadcast.Head} whose access epoch is above the one it acted on (so a lost notice is repaired
 * by the room's next head announcement), it asks the room ({@link RoomAccess}, at most {@value
 * #RECHECK_PARALLELISM} at once, rounds by {@link AccessRecheck}, answers piped back to the
 * hub as {@code Verdict}s) about each distinct local user (with the admin flag they joined with)
 * and puts out of the room only those refused: {@code Removed} with code {@code banned} for a ban,
 * {@code not_member} for a members-only room they may not read, {@code forbidden} for any other
 * refusal, the connection staying open; a room that answers not found is treated as closed. A
 * round's refusal never puts out a connection that joined after the round was asked (its own check
 * is newer). A join shortly after such a notice is asked about again, since its check may predate
 * the change. Not thread-safe: the hub's own.
 */
final class HubRechecks {

  /** How many access checks one hub has running at once. */
  static final int RECHECK_PARALLELISM = 8;

  /**
   * How long after an access notice a join is asked about again: its own check may have been
   * answered before the change it missed.
   */
  private static final Duration JOIN_RECHECK_WINDOW = Duration.ofSeconds(5);

  private final String org;
  private final String room;
  private final String key;
  private final RoomAccess access;
  private final ActorRef<RoomHub.Command> self;
  private final ActorSystem<?> system;
  private final HubMembers members;
  private final MessageFlow flow;
  private final HubEffects effects;

  private final AccessRecheck recheck = new AccessRecheck();
  /** When the latest access notice came ({@link System#nanoTime}); valid once {@code noticed}. */
  private long noticedAt;
  private boolean noticed;
  /** The room's access epoch this hub has acted on ({@link RoomBroadcast.Head}); -1 before the first. */
  private long accessEpoch = -1;

  HubRechecks(
      String org,
      String room,
      RoomAccess access,
      ActorRef<RoomHub.Command> self,
      ActorSystem<?> system,
      HubMembers members,
      MessageFlow flow,
      HubEffects effects) {
    this.org = org;
    this.room = room;
    this.key = RoomHubs.key(org, room);
    this.access = access;
    this.self = self;
    this.system = system;
    this.members = members;
    this.flow = flow;
    this.effects = effects;
  }

  /** The room's access changed: everyone is asked about. */
  void accessChanged() {
    noticed();
    recheck.everyone();
    start();
  }

  /** A ban or a lost membership of the user: put out only if the room refuses them now. */
  void removalNoticed(String user) {
    noticed();
    recheck.user(user);
    start();
  }

  /** A head announcement: an access epoch above the one acted on may be a missed notice. */
  void head(long epoch) {
    if (epoch > accessEpoch) {
      // An access change this hub may have missed (its notice is at most once): the first head
      // with any is one too, as the hub cannot tell whether it saw it.
      boolean missed = accessEpoch >= 0 || epoch > 0;
      accessEpoch = epoch;
      if (missed) {
        noticed();
        recheck.everyone();
        start();
      }
    }
  }

  /** The user just joined: asked about again if a notice came shortly before. */
  void joined(String user) {
    if (noticed && System.nanoTime() - noticedAt < JOIN_RECHECK_WINDOW.toNanos()) {
      recheck.user(user);
      start();
    }
  }

  /** The warmup ended: everyone is asked about once (what the room published meanwhile may be lost). */
  void warmupEnded() {
    recheck.everyone();
    start();
  }

  /** The round has all its answers: the next one may start. */
  void roundDone() {
    recheck.finished();
    start();
  }

  /** Failed checks are due again. */
  void retry() {
    start();
  }

  private void noticed() {
    noticed = true;
    noticedAt = System.nanoTime();
  }

  /** Starts a round of access checks if one is due and none is running. */
  private void start() {
    if (!recheck.due()) {
      return;
    }
    List<AccessRecheck.Who> round = recheck.start(members.present());
    if (round.isEmpty()) {
      return;
    }
    long seq = members.joins();
    ActorRef<RoomHub.Command> me = self;
    try {
      CompletionStage<Done> done =
          Source.from(round)
              .mapAsyncUnordered(RECHECK_PARALLELISM, who -> check(who, seq))
              .runWith(Sink.foreach(me::tell), system);
      effects.pipeRecheckDone(done);
    } catch (RuntimeException e) {
      recheck.finished();
      effects.log().warn("Room {}: could not start an access recheck", key, e);
    }
  }

  /** Asks the room about one user; never fails (the failure is in the verdict). */
  private CompletionStage<RoomHub.Verdict> check(AccessRecheck.Who who, long seq) {
    CompletionStage<RoomInfo> answer;
    try {
      answer = access.check(org, room, who.user(), who.admin());
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle(
        (info, failure) ->
            new RoomHub.Verdict(who, seq, info, failure == null ? null : StageFailures.unwrap(failure)));
  }

  /** The room's answer about one user: refused ones are put out; a failure is asked again later. */
  void verdict(RoomHub.Verdict verdict) {
    if (verdict.info() != null) {
      // The answer also carries the head: a message missed meanwhile is read from the journal.
      flow.head(verdict.info().head());
    } else if (verdict.failure() instanceof RoomException refusal
        && refusal.kind() == RoomException.Kind.FORBIDDEN) {
      String code =
          RoomRefusals.isBan(refusal)
              ? "banned"
              : RoomRefusals.isMembersOnly(refusal) ? "not_member" : "forbidden";
      members.putOut(refused(verdict), new RoomOutput.Removed(room, code, HubMembers.removalMessage(code), false));
    } else if (verdict.failure() instanceof RoomException refusal
        && refusal.kind() == RoomException.Kind.NOT_FOUND) {
      // Closed, and its Closed broadcast did not reach this hub.
      members.putOut(refused(verdict), new RoomOutput.Closed(room));
    } else {
      effects
          .log()
          .debug("Room {}: access recheck of {} failed, retrying", key, verdict.who().user(), verdict.failure());
      recheck.user(verdict.who().user());
      effects.retryRecheckLater();
    }
  }

  private List<HubMember> refused(RoomHub.Verdict verdict) {
    return members.refused(verdict.who().user(), verdict.who().admin(), verdict.seq());
  }
}
