package dev.troupe.actors.rooms.room;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.identity.Permissions;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.rooms.PostResult;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomInfo;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomSettings;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.room.RoomCommand.Configured;
import dev.troupe.cluster.DirectStages;
import dev.troupe.cluster.StageFailures;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The room and directory entities behind {@code Rooms}: checks names, bodies and permissions, then
 * asks the org's room ({@link RoomEntity}) or room directory ({@link RoomDirectory}). The tenant is
 * always the principal's org. Stages fail with {@link RoomException} itself (not wrapped); an
 * entity that does not answer within {@code troupe.entities.ask-timeout} fails them with
 * UNAVAILABLE. Stages complete on the thread that completes the entity's answer: attached
 * continuations must not block.
 *
 * <p>Permissions: {@code rooms.admin} to configure, close, and manage members, bans and kicks;
 * {@code rooms.use} to list, post, read and join. Holding {@code rooms.admin} is also what makes a
 * principal an admin of the org's rooms (may read members-only rooms and post where only admins
 * may).
 */
public final class RoomAdmin {

  /** Rooms asked at once for their info when listing. */
  private static final int LIST_PARALLELISM = 8;

  private final ActorSystem<?> system;
  private final RoomsSettings settings;
  private final RoomJournal journal;
  private final Permissions permissions;
  private final Duration askTimeout;
  private final EntityKind<RoomCommand, RoomEvent, RoomState> roomKind;
  private final EntityKind<DirectoryCommand, DirectoryEvent, DirectoryState> directoryKind;
  private boolean started;

  public RoomAdmin(ActorSystem<?> system, RoomsSettings settings, RoomJournal journal) {
    this.system = system;
    this.settings = settings;
    this.journal = journal;
    this.permissions = Permissions.from(system.settings().config());
    this.askTimeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
    this.roomKind = RoomEntity.kind(new RoomEnv(settings, Clock.systemUTC()));
    this.directoryKind = RoomDirectory.kind(settings.maxRoomsPerOrg());
  }

  /** Starts the room and room directory types on this node. Later calls do nothing. */
  public synchronized void start() {
    if (started) {
      return;
    }
    Entities.init(system, roomKind);
    Entities.init(system, directoryKind);
    started = true;
  }

  /** Registers the name in the org's directory, then creates, reopens or reconfigures the room. */
  public CompletionStage<Configured> configure(
      Principal principal, String requestId, String room, RoomSettings roomSettings) {
    return RoomStages.call(
        () -> {
          requireAdmin(principal);
          String name = RoomScopes.inScope(principal, name(room));
          RoomSettings checked =
              RoomNames.settings(
                  roomSettings == null ? settings.defaults() : roomSettings, settings);
          var context = principal.context(requestId);
          return this.<DirectoryCommand, Done>ask(
                  directory(principal),
                  replyTo -> new DirectoryCommand.Register(context, name, replyTo))
              .thenCompose(
                  registered ->
                      this.<RoomCommand, Configured>ask(
                          room(principal, name),
                          replyTo -> new RoomCommand.Configure(context, checked, replyTo)));
        });
  }

  /**
   * The org's open rooms the principal may see, sorted by name ({@code rooms.use}): an admin sees
   * them all; anyone else neither members-only rooms they are not a member of nor rooms they are
   * banned from.
   */
  public CompletionStage<List<RoomInfo>> list(Principal principal) {
    return RoomStages.call(
        () -> {
          requireUse(principal);
          return this.<DirectoryCommand, DirectoryCommand.Names>ask(
                  directory(principal), DirectoryCommand.ListRooms::new)
              .thenCompose(names -> infos(principal, RoomScopes.visible(principal, names.rooms())));
        });
  }

  private CompletionStage<List<RoomInfo>> infos(Principal principal, List<String> names) {
    boolean admin = isAdmin(principal);
    String user = principal.username();
    CompletionStage<List<Optional<RoomInfo>>> all =
        Source.from(names)
            .mapAsync(
                LIST_PARALLELISM,
                name ->
                    (admin
                            ? this.<RoomCommand, RoomInfo>ask(
                                room(principal, name), RoomCommand.GetInfo::new)
                            : this.<RoomCommand, RoomInfo>ask(
                                room(principal, name),
                                replyTo -> new RoomCommand.Access(user, false, replyTo)))
                        .thenApply(Optional::of)
                        .exceptionally(
                            failure -> {
                              RuntimeException cause =
                                  RoomStages.e(StageFailures.unwrap(failure));
                              // Closed meanwhile, or not for this user: not listed.
                              if (cause instanceof RoomException e
                                  && (e.kind() == RoomException.Kind.NOT_FOUND
                                      || e.kind() == RoomException.Kind.FORBIDDEN)) {
                                return Optional.empty();
                              }
                              throw cause;
                            }))
            .runWith(Sink.seq(), system);
    return DirectStages.direct(all)
        .thenApply(infos -> infos.stream().flatMap(Optional::stream).toList());
  }

  /** Closes the room, then removes it from the org's directory. */
  public CompletionStage<Done> close(Principal principal, String requestId, String room) {
    return RoomStages.call(
        () -> {
          requireAdmin(principal);
          String name = RoomScopes.inScope(principal, name(room));
          var context = principal.context(requestId);
          return this.<RoomCommand, Done>ask(
                  room(principal, name), replyTo -> new RoomCommand.Close(context, replyTo))
              .thenCompose(
                  closed ->
                      this.<DirectoryCommand, Done>ask(
                          directory(principal),
                          replyTo -> new DirectoryCommand.Unregister(context, name, replyTo)));
        });
  }

  public CompletionStage<Done> setMember(
      Principal principal, String requestId, String room, String user, boolean member) {
    return aboutUser(
        principal, room, user,
        (target, replyTo) -> new RoomCommand.SetMember(principal.context(requestId), target, member, replyTo));
  }

  public CompletionStage<Done> setBan(
      Principal principal, String requestId, String room, String user, boolean banned) {
    return aboutUser(
        principal, room, user,
        (target, replyTo) -> new RoomCommand.SetBan(principal.context(requestId), target, banned, replyTo));
  }

  /** Records the kick; the room's topic tells every node to put the user's connections out. */
  public CompletionStage<Done> kick(
      Principal principal, String requestId, String room, String user) {
    return aboutUser(
        principal, room, user,
        (target, replyTo) -> new RoomCommand.Kick(principal.context(requestId), target, replyTo));
  }

  /** An admin's command about one user of the room (validated name and username). */
  private CompletionStage<Done> aboutUser(
      Principal principal,
      String room,
      String user,
      BiFunction<String, ActorRef<StatusReply<Done>>, RoomCommand> command) {
    return RoomStages.call(
        () -> {
          requireAdmin(principal);
          String name = RoomScopes.inScope(principal, name(room));
          String target = RoomNames.user(user);
          return ask(room(principal, name), replyTo -> command.apply(target, replyTo));
        });
  }

  /**
   * Posts a JSON object's text as the principal: TOO_LARGE above {@code max-message-size} UTF-8
   * bytes, INVALID when not one JSON object or a bad key.
   */
  public CompletionStage<PostResult> post(
      Principal principal,
      String requestId,
      String room,
      Optional<String> idempotencyKey,
      String body) {
    return RoomStages.call(
        () -> {
          requireUse(principal);
          String name = RoomScopes.inScope(principal, name(room));
          String text = RoomBodies.body(body, settings.maxMessageBytes());
          Optional<String> key = idempotencyKey.map(RoomBodies::idempotencyKey);
          boolean admin = isAdmin(principal);
          return ask(
              room(principal, name),
              replyTo ->
                  new RoomCommand.Post(principal.context(requestId), admin, key, text, replyTo));
        });
  }

  /**
   * A page of history the principal may read: {@code after < offset < before}, never below the
   * room's first kept offset, at most {@code min(limit, history-page-limit)} messages. With only
   * {@code before}, the latest messages below it (a {@code before} past the head counts as just
   * past it); with neither, the oldest kept ones. Messages posted after the room answered the
   * access check are not included.
   */
  public CompletionStage<List<RoomMessage>> history(
      Principal principal, String room, OptionalLong after, OptionalLong before, int limit) {
    return RoomStages.call(
        () -> {
          String name = name(room);
          if (limit < 1) {
            throw RoomRefusals.invalid("limit must be at least 1");
          }
          if ((after.isPresent() && after.getAsLong() < 0)
              || (before.isPresent() && before.getAsLong() < 0)) {
            throw RoomRefusals.invalid("after and before must not be negative");
          }
          int page = Math.min(limit, settings.historyPageLimit());
          return access(principal, name)
              .thenCompose(
                  info -> {
                    long floor = info.firstKept() - 1;
                    long upper = Math.min(before.orElse(Long.MAX_VALUE), info.head() + 1);
                    long lower =
                        after.isPresent()
                            ? Math.max(after.getAsLong(), floor)
                            : before.isPresent() ? Math.max(floor, upper - 1 - page) : floor;
                    return DirectStages.direct(
                        journal
                            .messages(principal.org(), name, lower, upper, page)
                            .runWith(Sink.seq(), system));
                  });
        });
  }

  /**
   * Whether the principal may join and read the room: its info (head included), or a stage failed
   * with RoomException NOT_FOUND / FORBIDDEN / INVALID.
   */
  public CompletionStage<RoomInfo> access(Principal principal, String room) {
    return RoomStages.call(
        () -> {
          requireUse(principal);
          String name = RoomScopes.inScope(principal, name(room));
          boolean admin = isAdmin(principal);
          return ask(
              room(principal, name),
              replyTo -> new RoomCommand.Access(principal.username(), admin, replyTo));
        });
  }

  /**
   * The room's info (head included) without a principal's checks, for the node's hubs: a stage
   * failed with RoomException NOT_FOUND when it does not exist or is closed.
   */
  public CompletionStage<RoomInfo> info(String org, String room) {
    return RoomStages.call(
        () -> {
          String name = name(room);
          return ask(Entities.ref(system, roomKind, org, name), RoomCommand.GetInfo::new);
        });
  }

  /**
   * Whether a user of the org may still read the room, for the node's hubs (the user's permissions
   * were checked when they joined; {@code admin} is whether they held {@code rooms.admin} then):
   * its info, or a stage failed with RoomException NOT_FOUND or FORBIDDEN ({@link
   * RoomRefusals#isBan} tells a ban from a members-only refusal).
   */
  public CompletionStage<RoomInfo> access(String org, String room, String user, boolean admin) {
    return RoomStages.call(
        () -> {
          String name = name(room);
          return ask(
              Entities.ref(system, roomKind, org, name),
              replyTo -> new RoomCommand.Access(user, admin, replyTo));
        });
  }

  /** Whether the principal is an admin of its org's rooms ({@code rooms.admin}). */
  public boolean isAdmin(Principal principal) {
    return permissions.allows(principal, "rooms.admin");
  }

  // ---- helpers

  private String name(String room) {
    return RoomNames.room(room, settings.maxRoomNameBytes());
  }

  private void requireAdmin(Principal principal) {
    if (!isAdmin(principal)) {
      throw RoomRefusals.forbidden("managing rooms needs the rooms.admin permission");
    }
  }

  private void requireUse(Principal principal) {
    if (!permissions.allows(principal, "rooms.use")) {
      throw RoomRefusals.forbidden("rooms need the rooms.use permission");
    }
  }

  private EntityRef<RoomCommand> room(Principal principal, String name) {
    return Entities.ref(system, roomKind, principal.org(), name);
  }

  private EntityRef<DirectoryCommand> directory(Principal principal) {
    return Entities.ref(system, directoryKind, principal.org(), RoomDirectory.ID);
  }

  /** Asks with the ask timeout; an error reply fails with its RoomException. */
  private <C, R> CompletionStage<R> ask(
      EntityRef<C> entity, Function<ActorRef<StatusReply<R>>, C> command) {
    return DirectStages.direct(entity.<R>askWithStatus(command::apply, askTimeout));
  }
}
