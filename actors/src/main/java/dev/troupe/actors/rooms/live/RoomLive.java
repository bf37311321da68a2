package dev.troupe.actors.rooms.live;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.revocation.Revocations;
import dev.troupe.actors.rooms.PresenceState;
import dev.troupe.actors.rooms.RoomClient;
import dev.troupe.actors.rooms.RoomException;
import dev.troupe.actors.rooms.RoomMessage;
import dev.troupe.actors.rooms.RoomOutput;
import dev.troupe.actors.rooms.RoomsSettings;
import dev.troupe.actors.rooms.hub.HubRequest;
import dev.troupe.actors.rooms.hub.RoomHubs;
import dev.troupe.actors.rooms.room.RoomAdmin;
import dev.troupe.actors.rooms.room.RoomJournal;
import dev.troupe.cluster.DirectStages;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Live connections on this node: each is a {@link RoomClient} with its own bounded queue,
 * registered by session id in {@link Connections}; its rooms are served by the node's hubs
 * ({@link RoomHubs}), one per room, so a broadcast costs one topic message per node and one queue
 * offer per local client. No actor per connection.
 */
public final class RoomLive {

  /** The error code a connection of a revoked session gets before it is closed. */
  public static final String SESSION_REVOKED = "session_revoked";

  /** The error code a connection gets when its session (or credential) ends. */
  public static final String SESSION_EXPIRED = "session_expired";

  /** A connected client and the outputs the edge sends it, in order. */
  public record Connection(RoomClient client, Source<RoomOutput, NotUsed> outputs) {}

  private final ActorSystem<?> system;
  private final RoomsSettings settings;
  private final RoomAdmin admin;
  private final RoomJournal journal;
  private final Connections connections = new Connections(this::disconnect);
  private final Duration askTimeout;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicLong counter = new AtomicLong();
  private volatile String idPrefix;
  private volatile ActorRef<RoomHubs.Command> hubs;

  public RoomLive(ActorSystem<?> system, RoomsSettings settings, RoomAdmin admin, RoomJournal journal) {
    this.system = system;
    this.settings = settings;
    this.admin = admin;
    this.journal = journal;
    this.askTimeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
  }

  /** Starts this node's hubs (once; later calls change nothing). */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    Cluster cluster = Cluster.get(system);
    idPrefix = Long.toString(cluster.selfMember().uniqueAddress().longUid() & Long.MAX_VALUE, 36) + "-";
    hubs =
        system.systemActorOf(
            RoomHubs.create(
                settings, journal, admin::access, connections, cluster.selfMember().address().toString()),
            "troupe-room-hubs",
            Props.empty());
  }

  /**
   * Opens a client of the given kind ({@code ws}, {@code sse}, {@code api}) now: registers it by
   * session id and gives its outputs, to be run once. Replays arrive flattened into {@link
   * RoomOutput.Message}s; a client that falls behind sees the source fail with {@link
   * RoomClient.SlowConsumer}. The source completes after {@link #disconnect} or a session close;
   * when it stops, however it stops, the client is disconnected. For a client that should exist
   * only while its stream runs, see {@link #outputs}.
   */
  public Connection connect(Principal principal, String kind) {
    RoomClient client = open(principal, kind);
    NeverRun.forget(system, settings.clientStartTimeout(), client, this::disconnect);
    return new Connection(client, Source.fromGraph(new ClientSource(() -> client, this::disconnect)));
  }

  /**
   * The outputs of a client of the given kind opened when the source starts (not before: a
   * stream that is never run leaves nothing behind), as {@link #connect} would give them. {@code
   * onOpen} gets the client first, before any output, in the stream's own thread. The source fails
   * with the reason when the client cannot be opened (e.g. rooms are not started).
   *
   * <p>No stream or actor per client besides the one that runs this source: the client's queue is
   * drained by one stage of it.
   */
  public Source<RoomOutput, NotUsed> outputs(Principal principal, String kind, Consumer<RoomClient> onOpen) {
    return Source.fromGraph(
        new ClientSource(
            () -> {
              RoomClient client = open(principal, kind);
              try {
                onOpen.accept(client);
              } catch (RuntimeException e) {
                disconnect(client);
                throw e;
              }
              return client;
            },
            this::disconnect));
  }

  private RoomClient open(Principal principal, String kind) {
    requireStarted();
    RoomClient client =
        new RoomClient(
            idPrefix + Long.toString(counter.incrementAndGet(), 36),
            principal.org(),
            principal.username(),
            principal.sessionId(),
            kind,
            Instant.now(),
            new ClientQueue(settings.clientBuffer()));
    connections.register(client, Revocations.get(system)::isRevoked);
    return client;
  }

  /**
   * Joins a room: checks access, then queues {@code Joined}, {@code PresenceSnapshot}, the messages
   * after {@code since} (none without it), then live outputs. Fails with RoomException ({@code
   * TOO_MANY_ROOMS} beyond {@code client.max-rooms}, {@code ROOM_FULL}, and what access answers).
   * Joining a room again re-sends the acknowledgement, presence and the messages after {@code
   * since}; if that fails, the earlier join stands (unless the hub was asked and did not answer in
   * time: it has the join queued, so the client stays registered with it). A join overtaken by a leave (or another join)
   * of the room while its access was checked is void: the client gets {@code Refused} with code
   * {@code not_joined} for its {@code ref}, and the stage completes.
   */
  public CompletionStage<Done> join(RoomClient client, Principal principal, String room, OptionalLong since, String ref) {
    requireStarted();
    Connections.Live live = connections.find(client);
    if (live == null) {
      return CompletableFuture.failedFuture(new RoomException(RoomException.Kind.INVALID, "the connection is closed"));
    }
    Object token = new Object();
    Object previous;
    synchronized (live) {
      if (!live.rooms.containsKey(room) && live.rooms.size() >= settings.maxRoomsPerConnection()) {
        return CompletableFuture.failedFuture(
            new RoomException(
                RoomException.Kind.TOO_MANY_ROOMS,
                "a connection may join at most " + settings.maxRoomsPerConnection() + " rooms"));
      }
      previous = live.rooms.put(room, token);
    }
    AtomicBoolean hubAsked = new AtomicBoolean();
    CompletableFuture<Done> joined =
        DirectStages.direct(admin.access(principal, room))
            .thenCompose(
                info -> {
                  synchronized (live) {
                    if (live.rooms.get(room) != token) {
                      // Left (or joined again) while access was checked: this join is void.
                      client.offer(
                          new RoomOutput.Refused(room, ref, "not_joined", "left or joined again before the join completed"));
                      return CompletableFuture.completedFuture(Done.getInstance());
                    }
                    hubAsked.set(true);
                    return DirectStages.direct(
                        AskPattern.<RoomHubs.Command, StatusReply<Done>>ask(
                                hubs,
                                replyTo ->
                                    new HubRequest.Join(
                                        client.org(),
                                        room,
                                        info,
                                        client,
                                        token,
                                        since,
                                        ref,
                                        admin.isAdmin(principal),
                                        replyTo),
                                askTimeout,
                                system.scheduler())
                            .thenApply(StatusReply::getValue));
                  }
                });
    return joined.handle(
            (done, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(done);
              }
              Throwable refusal = Refusals.of(failure);
              if (hubAsked.get() && Refusals.isTimeout(failure)) {
                // The hub has the join queued (local, never lost): it will hold this token.
                return CompletableFuture.<Done>failedFuture(refusal);
              }
              synchronized (live) {
                // A failed join again leaves the earlier one (still in the hub) in place.
                if (previous == null) {
                  live.rooms.remove(room, token);
                } else {
                  live.rooms.replace(room, token, previous);
                }
              }
              return CompletableFuture.<Done>failedFuture(refusal);
            })
        .thenCompose(stage -> stage);
  }

  /** Leaves a room ({@code Left} queued; leaving a room not joined is acknowledged too). */
  public void leave(RoomClient client, String room, String ref) {
    requireStarted();
    Connections.Live live = connections.find(client);
    if (live == null) {
      return;
    }
    synchronized (live) {
      if (live.rooms.remove(room) != null) {
        hubs.tell(new HubRequest.Leave(client.org(), room, client, ref));
        return;
      }
    }
    client.offer(new RoomOutput.Left(room, ref));
  }

  /**
   * Sends an ephemeral signal to the room's other connections (on every node). A client that has
   * not joined the room gets {@code Refused} with code {@code not_joined} (no ref); a body over
   * {@code max-signal-size} gets {@code too_large}.
   */
  public void signal(RoomClient client, String room, String body) {
    requireStarted();
    Connections.Live live = connections.find(client);
    if (live == null) {
      return;
    }
    if (!live.rooms.containsKey(room)) {
      client.offer(new RoomOutput.Refused(room, null, "not_joined", "join the room first"));
      return;
    }
    if (body.length() > settings.maxSignalBytes()
        || body.getBytes(StandardCharsets.UTF_8).length > settings.maxSignalBytes()) {
      client.offer(
          new RoomOutput.Refused(room, null, RoomException.Kind.TOO_LARGE.code(), "a signal is at most " + settings.maxSignalBytes() + " bytes"));
      return;
    }
    hubs.tell(new HubRequest.Send(client.org(), room, client, body));
  }

  /** Leaves every room and forgets the client (its presence leaves); its outputs complete. */
  public void disconnect(RoomClient client) {
    Connections.Live live = connections.unregister(client);
    if (live != null && hubs != null) {
      List<String> rooms;
      synchronized (live) {
        rooms = new ArrayList<>(live.rooms.keySet());
        live.rooms.clear();
      }
      rooms.forEach(room -> hubs.tell(new HubRequest.Leave(client.org(), room, client, null)));
    }
    if (!client.queue().isCompleted()) {
      try {
        client.queue().complete();
      } catch (IllegalStateException alreadyEnded) {
        // Completed or failed by another thread meanwhile.
      }
    }
  }

  /** Who is in the room now across the cluster (this node's hub's view). */
  public CompletionStage<PresenceState> presence(Principal principal, String room) {
    requireStarted();
    CompletableFuture<PresenceState> state =
        DirectStages.direct(admin.access(principal, room))
            .thenCompose(
                info ->
                    DirectStages.direct(
                        AskPattern.<RoomHubs.Command, PresenceState>ask(
                            hubs,
                            replyTo -> new HubRequest.GetPresence(principal.org(), room, info, replyTo),
                            askTimeout,
                            system.scheduler())));
    return state.handle(
            (value, failure) ->
                failure == null
                    ? CompletableFuture.completedFuture(value)
                    : CompletableFuture.<PresenceState>failedFuture(Refusals.of(failure)))
        .thenCompose(stage -> stage);
  }

  /**
   * The room's messages after {@code since}, then live ones: a client of kind {@code api} joined
   * when the source is run ({@link Subscriptions}).
   */
  public Source<RoomMessage, NotUsed> subscribe(Principal principal, String room, long since) {
    return Subscriptions.of(this, principal, room, since);
  }

  /** The node's registry of live connections by session id. */
  public Connections connections() {
    return connections;
  }

  /** The rooms ({@code org:room}) this node has a hub for now. */
  CompletionStage<Set<String>> hubs() {
    requireStarted();
    return DirectStages.direct(
        AskPattern.<RoomHubs.Command, Set<String>>ask(
            hubs, RoomHubs.ListHubs::new, askTimeout, system.scheduler()));
  }

  /** The client's rooms as this node sees them (for tests). */
  Set<String> rooms(RoomClient client) {
    Connections.Live live = connections.find(client);
    return live == null ? Set.of() : Set.copyOf(live.rooms.keySet());
  }

  private void requireStarted() {
    if (hubs == null) {
      throw new IllegalStateException("Rooms.start() has not been called on this node");
    }
  }
}
