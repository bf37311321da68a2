package dev.troupe.actors.identity.session;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.actors.identity.Names;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.audit.Secret;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.entity.EntityModel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One login session (scoped id {@code <org>:<sessionId>}): who, from where, until when, and the
 * hash of its current refresh token. Refreshing rotates the token; presenting an earlier one
 * again (someone copied it) revokes the session. A session expires when unused for {@code
 * idle-timeout} or {@code max-lifetime} after it started ({@link SessionSettings}); expiry is
 * noticed lazily, when the session is next asked.
 *
 * <p>Times come from the commands. Refusals are {@link StatusReply#error} messages starting with
 * {@code "not found: "}, {@code "conflict: "}, {@code "invalid: "}, {@code "expired: "} or {@code
 * "reuse: "}.
 */
public final class Session extends TroupeEntity<Session.Command, Session.Event, Session.State> {

  /** Longer device names are cut to this length. */
  public static final int MAX_DEVICE_LENGTH = 128;

  /** Longer user agents are cut to this length. */
  public static final int MAX_USER_AGENT_LENGTH = 256;

  /** Longer client addresses are cut to this length (an IPv6 address has at most 45). */
  public static final int MAX_IP_LENGTH = 64;

  /** Longer revocation reasons are cut to this length. */
  public static final int MAX_REASON_LENGTH = 64;

  /** Longest refresh-token hash accepted. */
  public static final int MAX_HASH_LENGTH = 256;

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "session");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("session", Event.class, State.EMPTY, Session::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  private static final String REDACTED = "[redacted]";

  // ---------------------------------------------------------------- protocol

  /** What a session accepts. */
  public sealed interface Command extends TroupeSerializable {}

  /** Starts the session; device, address and user agent are cut to their maximum lengths. */
  public record Start(
      RequestContext context,
      String username,
      String device,
      String ip,
      String userAgent,
      @Secret String refreshHash,
      Instant now,
      ActorRef<StatusReply<Info>> replyTo)
      implements Command {
    @Override
    public String toString() {
      return "Start[context=" + context + ", username=" + username + ", device=" + device
          + ", ip=" + ip + ", userAgent=" + userAgent + ", refreshHash=" + REDACTED + ", now="
          + now + "]";
    }
  }

  /** Rotates the refresh token: the presented hash must be the current one. */
  public record Refresh(
      RequestContext context,
      @Secret String presentedHash,
      @Secret String newRefreshHash,
      Instant now,
      ActorRef<StatusReply<Info>> replyTo)
      implements Command {
    @Override
    public String toString() {
      return "Refresh[context=" + context + ", presentedHash=" + REDACTED + ", newRefreshHash="
          + REDACTED + ", now=" + now + "]";
    }
  }

  /** The session was used: persisted at most once per {@code touch-interval}. No reply. */
  public record Touch(Instant now) implements Command {}

  /** Ends the session; idempotent. */
  public record Revoke(
      RequestContext context, String reason, Instant now, ActorRef<StatusReply<Info>> replyTo)
      implements Command {}

  /** Reads the session, first recording its expiry if it has expired by {@code now}. */
  public record GetInfo(Instant now, ActorRef<StatusReply<Info>> replyTo) implements Command {}

  /**
   * A session as its owner and admins see it.
   *
   * @param idleExpiry when it expires if not used again ({@code lastSeen + idle-timeout})
   * @param status {@code "active"}, {@code "revoked"} or {@code "expired"}
   */
  public record Info(
      String sessionId,
      String username,
      String device,
      String ip,
      String userAgent,
      Instant createdAt,
      Instant lastSeen,
      Instant absoluteExpiry,
      Instant idleExpiry,
      String status)
      implements TroupeSerializable {}

  // ---------------------------------------------------------------- events

  /** What happened to a session. */
  public sealed interface Event extends AuditedEvent {}

  /** Started at {@code at}. */
  public record Started(
      AuditRecord audit,
      String username,
      String device,
      String ip,
      String userAgent,
      @Secret String refreshHash,
      Instant absoluteExpiry,
      Instant at)
      implements Event {
    @Override
    public String toString() {
      return "Started[audit=" + audit + ", username=" + username + ", device=" + device + ", ip="
          + ip + ", userAgent=" + userAgent + ", refreshHash=" + REDACTED + ", absoluteExpiry="
          + absoluteExpiry + ", at=" + at + "]";
    }
  }

  /**
   * The refresh token was rotated at {@code at}. The previous hash joins the history, of which the
   * newest {@code history} are kept (the setting in force when it happened, so the fold is pure).
   */
  public record Refreshed(AuditRecord audit, @Secret String refreshHash, int history, Instant at)
      implements Event {
    @Override
    public String toString() {
      return "Refreshed[audit=" + audit + ", refreshHash=" + REDACTED + ", history=" + history
          + ", at=" + at + "]";
    }
  }

  /** The session was used at {@code at}. */
  public record Touched(AuditRecord audit, Instant at) implements Event {}

  public record Revoked(AuditRecord audit, String reason) implements Event {}

  /** The session expired: {@code "idle"} or {@code "max-lifetime"}. */
  public record Expired(AuditRecord audit, String reason) implements Event {}

  // ---------------------------------------------------------------- state

  /** Where a session is in its life. */
  public enum Status {
    ACTIVE,
    REVOKED,
    EXPIRED
  }

  /**
   * The session; also its snapshot. {@code status} is null before it starts; {@code
   * previousRefreshHashes} is oldest first.
   */
  public record State(
      boolean exists,
      String username,
      String device,
      String ip,
      String userAgent,
      Instant createdAt,
      Instant lastSeen,
      Instant absoluteExpiry,
      @Secret String refreshHash,
      @Secret List<String> previousRefreshHashes,
      Status status,
      String endReason)
      implements TroupeSerializable {

    public static final State EMPTY =
        new State(false, null, null, null, null, null, null, null, null, List.of(), null, null);

    public State {
      previousRefreshHashes =
          previousRefreshHashes == null ? List.of() : List.copyOf(previousRefreshHashes);
    }

    boolean active() {
      return exists && status == Status.ACTIVE;
    }

    State seen(Instant at) {
      return new State(exists, username, device, ip, userAgent, createdAt, at, absoluteExpiry,
          refreshHash, previousRefreshHashes, status, endReason);
    }

    State ended(Status end, String reason) {
      return new State(exists, username, device, ip, userAgent, createdAt, lastSeen,
          absoluteExpiry, refreshHash, previousRefreshHashes, end, reason);
    }

    State rotated(String hash, int history, Instant at) {
      List<String> previous = new ArrayList<>(previousRefreshHashes);
      previous.add(refreshHash);
      int drop = Math.max(0, previous.size() - Math.max(0, history));
      return new State(exists, username, device, ip, userAgent, createdAt, at, absoluteExpiry,
          hash, previous.subList(drop, previous.size()), status, endReason);
    }

    @Override
    public String toString() {
      return "State[exists=" + exists + ", username=" + username + ", device=" + device + ", ip="
          + ip + ", userAgent=" + userAgent + ", createdAt=" + createdAt + ", lastSeen="
          + lastSeen + ", absoluteExpiry=" + absoluteExpiry + ", refreshHash=" + REDACTED
          + ", previousRefreshHashes=" + REDACTED + ", status=" + status + ", endReason="
          + endReason + "]";
    }
  }

  // ---------------------------------------------------------------- behaviour

  private final SessionSettings settings;

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new Session(context.getSystem(), entityId));
  }

  private Session(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
    this.settings = SessionSettings.from(system.settings().config());
  }

  static State apply(State state, Event event) {
    if (event instanceof Started started) {
      return new State(
          true,
          started.username(),
          started.device(),
          started.ip(),
          started.userAgent(),
          started.at(),
          started.at(),
          started.absoluteExpiry(),
          started.refreshHash(),
          List.of(),
          Status.ACTIVE,
          null);
    }
    if (event instanceof Refreshed refreshed) {
      return state.rotated(refreshed.refreshHash(), refreshed.history(), refreshed.at());
    }
    if (event instanceof Touched touched) {
      return state.seen(touched.at());
    }
    if (event instanceof Revoked revoked) {
      return state.ended(Status.REVOKED, revoked.reason());
    }
    if (event instanceof Expired expired) {
      return state.ended(Status.EXPIRED, expired.reason());
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Start.class, this::onStart)
        .onCommand(Refresh.class, this::onRefresh)
        .onCommand(Touch.class, this::onTouch)
        .onCommand(Revoke.class, this::onRevoke)
        .onCommand(GetInfo.class, this::onGetInfo)
        .build();
  }

  private ReplyEffect<Event, State> onStart(State state, Start cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: session already exists"));
    }
    if (!Names.valid(cmd.username())) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error("invalid: username must match " + Names.PATTERN));
    }
    if (!validHash(cmd.refreshHash())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("invalid: refresh token hash"));
    }
    Started started =
        new Started(
            audit(cmd.context()),
            cmd.username(),
            cut(cmd.device(), MAX_DEVICE_LENGTH),
            cut(cmd.ip(), MAX_IP_LENGTH),
            cut(cmd.userAgent(), MAX_USER_AGENT_LENGTH),
            cmd.refreshHash(),
            cmd.now().plus(settings.maxLifetime()),
            cmd.now());
    return Effect().persist(started).thenReply(cmd.replyTo(), this::info);
  }

  private ReplyEffect<Event, State> onRefresh(State state, Refresh cmd) {
    if (!state.active() || !validHash(cmd.presentedHash()) || !validHash(cmd.newRefreshHash())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("invalid: refresh token"));
    }
    // Whoever presents a refresh token acts as the session's user; audit says so.
    Optional<String> expired = expiry(state, cmd.now());
    if (expired.isPresent()) {
      return Effect()
          .persist(new Expired(audit(owner(cmd.context(), state)), expired.get()))
          .thenReply(cmd.replyTo(), newState -> StatusReply.error("expired: session expired"));
    }
    if (matches(cmd.presentedHash(), state.refreshHash())) {
      return Effect()
          .persist(
              new Refreshed(
                  audit(owner(cmd.context(), state)), cmd.newRefreshHash(), settings.refreshHistory(), cmd.now()))
          .thenReply(cmd.replyTo(), this::info);
    }
    if (state.previousRefreshHashes().stream().anyMatch(h -> matches(cmd.presentedHash(), h))) {
      return Effect()
          .persist(new Revoked(audit(owner(cmd.context(), state)), "refresh-token-reuse"))
          .thenReply(
              cmd.replyTo(),
              newState -> StatusReply.error("reuse: refresh token reused; session revoked"));
    }
    return Effect().reply(cmd.replyTo(), StatusReply.error("invalid: refresh token"));
  }

  private ReplyEffect<Event, State> onTouch(State state, Touch cmd) {
    if (!state.active()
        || expiry(state, cmd.now()).isPresent()
        || Duration.between(state.lastSeen(), cmd.now()).compareTo(settings.touchInterval()) < 0) {
      return Effect().noReply();
    }
    return Effect()
        .persist(new Touched(audit(systemContext("touch", state)), cmd.now()))
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onRevoke(State state, Revoke cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: session"));
    }
    if (!state.active()) {
      return Effect().reply(cmd.replyTo(), info(state));
    }
    String reason = cmd.reason() == null || cmd.reason().isBlank() ? "revoked" : cmd.reason().strip();
    return Effect()
        .persist(new Revoked(audit(cmd.context()), cut(reason, MAX_REASON_LENGTH)))
        .thenReply(cmd.replyTo(), this::info);
  }

  private ReplyEffect<Event, State> onGetInfo(State state, GetInfo cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: session"));
    }
    Optional<String> expired = state.active() ? expiry(state, cmd.now()) : Optional.empty();
    if (expired.isPresent()) {
      return Effect()
          .persist(new Expired(audit(systemContext("expiry", state)), expired.get()))
          .thenReply(cmd.replyTo(), this::info);
    }
    return Effect().reply(cmd.replyTo(), info(state));
  }

  /** Why an active session has expired by {@code now}, if it has: the earlier of the two limits. */
  private Optional<String> expiry(State state, Instant now) {
    Instant idleAt = state.lastSeen().plus(settings.idleTimeout());
    boolean idle = idleAt.isBefore(now);
    boolean lifetime = state.absoluteExpiry().isBefore(now);
    if (idle && (!lifetime || idleAt.isBefore(state.absoluteExpiry()))) {
      return Optional.of("idle");
    }
    return lifetime ? Optional.of("max-lifetime") : Optional.empty();
  }

  /** The audit context of what the session does by itself (touch, lazy expiry). */
  /** The request's context, acting as the session's own user. */
  private RequestContext owner(RequestContext context, State state) {
    return new RequestContext(context.requestId(), state.username(), context.tenant());
  }

  private RequestContext systemContext(String requestId, State state) {
    return new RequestContext(requestId, state.username(), tenant());
  }

  private StatusReply<Info> info(State state) {
    return StatusReply.success(
        new Info(
            EntityIds.localIdOf(entityId()),
            state.username(),
            state.device(),
            state.ip(),
            state.userAgent(),
            state.createdAt(),
            state.lastSeen(),
            state.absoluteExpiry(),
            state.lastSeen().plus(settings.idleTimeout()),
            state.status().name().toLowerCase(Locale.ROOT)));
  }

  private static boolean validHash(String hash) {
    return hash != null && !hash.isEmpty() && hash.length() <= MAX_HASH_LENGTH;
  }

  /** Compares two hashes in time independent of where they differ. */
  private static boolean matches(String presented, String stored) {
    return stored != null
        && MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8));
  }

  private static String cut(String value, int max) {
    if (value == null) {
      return "";
    }
    return value.length() <= max ? value : value.substring(0, max);
  }
}
