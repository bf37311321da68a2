package dev.troupe.actors.identity.account;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * A user's account in one org (scoped id {@code <org>:<username>}): its password hash, roles,
 * failed-login count with back-off and lockout ({@link LoginPolicy}), and the sessions it holds
 * (at most {@code troupe.identity.limits.sessions-per-user}; the oldest is evicted).
 *
 * <p>The account never hashes or verifies passwords itself: that CPU-heavy work happens outside
 * the actor, which only stores hashes and records the outcome. Refusals are {@link
 * StatusReply#error} messages starting with {@code "not found: "}, {@code "conflict: "}, {@code
 * "invalid: "} or {@code "limit: "}.
 */
public final class Account extends TroupeEntity<Account.Command, Account.Event, Account.State> {

  /** Longest password hash accepted (an encoded Argon2id hash is about 100 characters). */
  public static final int MAX_HASH_LENGTH = 1024;

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "account");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("account", Event.class, State.EMPTY, Account::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  private static final String REDACTED = "[redacted]";

  // ---------------------------------------------------------------- protocol

  /** What an account accepts. */
  public sealed interface Command extends TroupeSerializable {}

  /**
   * Creates the account with a password hash and org roles (null means none); conflict the
   * second time.
   */
  public record Create(
      RequestContext context,
      @Secret String passwordHash,
      Set<String> orgRoles,
      Instant now,
      ActorRef<StatusReply<Done>> replyTo)
      implements Command {
    @Override
    public String toString() {
      return "Create[context=" + context + ", orgRoles=" + orgRoles + ", now=" + now + "]";
    }
  }

  /** What a login needs to check a password; never refused. */
  public record GetCredentials(Instant now, ActorRef<Credentials> replyTo) implements Command {}

  /**
   * Starts a password check. The reply's {@code lockedUntil} is set while the account is locked or
   * backed off, and also (for a second) when more checks are in flight than free attempts remain:
   * parallel guesses cannot outrun the back-off and the lock, while a few concurrent logins of one
   * account still pass. {@link RecordLogin}, {@link
   * RecordFailure} or {@link EndAttempt} ends the check; an abandoned one expires after {@link
   * #ATTEMPT_TIMEOUT}.
   */
  public record BeginAttempt(Instant now, ActorRef<Credentials> replyTo) implements Command {}

  /** Ends a password check that neither succeeded nor failed (e.g. a disabled account). */
  public record EndAttempt(Instant now) implements Command {}

  /** A login succeeded and started the given session: resets failures, may evict old sessions. */
  public record RecordLogin(
      RequestContext context,
      String sessionId,
      Instant now,
      ActorRef<StatusReply<LoginRecorded>> replyTo)
      implements Command {}

  /** A login failed: counts it and computes the back-off or lockout. */
  public record RecordFailure(
      RequestContext context, Instant now, ActorRef<StatusReply<FailureRecorded>> replyTo)
      implements Command {}

  /** Reads the account's roles. */
  public record Roles(ActorRef<StatusReply<RoleView>> replyTo) implements Command {}

  /** Sets the roles in one project; an empty set removes the membership. */
  public record SetProjectRoles(
      RequestContext context,
      String project,
      Set<String> roles,
      ActorRef<StatusReply<RoleView>> replyTo)
      implements Command {}

  /** Sets the org roles ({@code org-admin}; {@code sys-admin} only in org {@code system}). */
  public record SetOrgRoles(
      RequestContext context, Set<String> roles, ActorRef<StatusReply<RoleView>> replyTo)
      implements Command {}

  /**
   * Replaces the password hash. Replies with every current session id (a {@link SessionIdList}),
   * which the caller must revoke (and then report with {@link SessionEnded}) except any it
   * chooses to keep.
   */
  public record ChangePassword(
      RequestContext context,
      @Secret String passwordHash,
      ActorRef<StatusReply<List<String>>> replyTo)
      implements Command {
    @Override
    public String toString() {
      return "ChangePassword[context=" + context + "]";
    }
  }

  /**
   * Disables or enables the account. Disabling replies with the sessions the caller must revoke
   * (a {@link SessionIdList}); the account forgets them. Enabling, or no change, replies empty.
   */
  public record SetDisabled(
      RequestContext context, boolean disabled, ActorRef<StatusReply<List<String>>> replyTo)
      implements Command {}

  /** A session ended (revoked or expired): the account forgets it. No event if it was unknown. */
  public record SessionEnded(RequestContext context, String sessionId, ActorRef<Done> replyTo)
      implements Command {}

  /**
   * The account's sessions, oldest first (empty if the account does not exist); the reply is a
   * {@link SessionRefList}.
   */
  public record ListSessions(ActorRef<List<SessionRef>> replyTo) implements Command {}

  /** Reads the account. */
  public record Get(ActorRef<StatusReply<View>> replyTo) implements Command {}

  // ---------------------------------------------------------------- replies

  /**
   * What a login checks.
   *
   * @param lockedUntil until when logins are refused (back-off or lockout); null if free now
   */
  public record Credentials(
      boolean exists, @Secret String passwordHash, boolean disabled, Instant lockedUntil)
      implements TroupeSerializable {
    @Override
    public String toString() {
      return "Credentials[exists=" + exists + ", passwordHash=" + REDACTED + ", disabled="
          + disabled + ", lockedUntil=" + lockedUntil + "]";
    }
  }

  /**
   * A recorded login.
   *
   * @param roles the roles a token carries (token form, sorted)
   * @param evictedSessions sessions dropped to stay within the per-user limit: revoke them
   */
  public record LoginRecorded(Set<String> roles, List<String> evictedSessions)
      implements TroupeSerializable {
    public LoginRecorded {
      roles = AccountRoles.sorted(roles);
      evictedSessions = List.copyOf(evictedSessions);
    }
  }

  /** A recorded failure; {@code lockedUntil} is null while failures are still free. */
  public record FailureRecorded(int failures, Instant lockedUntil) implements TroupeSerializable {}

  /** An account's roles, as bound and as a token carries them. */
  public record RoleView(
      boolean disabled,
      Set<String> orgRoles,
      Map<String, Set<String>> projectRoles,
      Set<String> tokenRoles)
      implements TroupeSerializable {
    public RoleView {
      orgRoles = AccountRoles.sorted(orgRoles);
      projectRoles = AccountRoles.sorted(projectRoles);
      tokenRoles = AccountRoles.sorted(tokenRoles);
    }
  }

  /** An account without its secrets. */
  public record View(
      String username,
      Instant createdAt,
      boolean disabled,
      Set<String> orgRoles,
      Map<String, Set<String>> projectRoles)
      implements TroupeSerializable {
    public View {
      orgRoles = AccountRoles.sorted(orgRoles);
      projectRoles = AccountRoles.sorted(projectRoles);
    }
  }

  /** One session the account holds. */
  public record SessionRef(String sessionId, Instant createdAt) implements TroupeSerializable {}

  // ---------------------------------------------------------------- events

  /** What happened to an account. */
  public sealed interface Event extends AuditedEvent {}

  /** Created at {@code at} (the command's time). */
  public record Created(
      AuditRecord audit,
      String username,
      @Secret String passwordHash,
      Set<String> orgRoles,
      Instant at)
      implements Event {
    public Created {
      orgRoles = AccountRoles.sorted(orgRoles);
    }

    @Override
    public String toString() {
      return "Created[audit=" + audit + ", username=" + username + ", passwordHash=" + REDACTED
          + ", orgRoles=" + orgRoles + ", at=" + at + "]";
    }
  }

  public record PasswordChanged(AuditRecord audit, @Secret String passwordHash) implements Event {
    @Override
    public String toString() {
      return "PasswordChanged[audit=" + audit + ", passwordHash=" + REDACTED + "]";
    }
  }

  public record DisabledChanged(AuditRecord audit, boolean disabled) implements Event {}

  public record OrgRolesChanged(AuditRecord audit, Set<String> roles) implements Event {
    public OrgRolesChanged {
      roles = AccountRoles.sorted(roles);
    }
  }

  /** The roles in one project; empty means the membership ended. */
  public record ProjectRolesChanged(AuditRecord audit, String project, Set<String> roles)
      implements Event {
    public ProjectRolesChanged {
      roles = AccountRoles.sorted(roles);
    }
  }

  /** A login at {@code at} started a session; failures are reset. */
  public record LoggedIn(AuditRecord audit, String sessionId, Instant at) implements Event {}

  /** A login failed at {@code at}; the count and the block it causes (null if none). */
  public record LoginFailed(AuditRecord audit, int failures, Instant lockedUntil, Instant at)
      implements Event {}

  /** The account forgot a session (ended, or evicted by a newer one). */
  public record SessionRemoved(AuditRecord audit, String sessionId) implements Event {}

  // ---------------------------------------------------------------- state

  /** The account; also its snapshot. Collections are immutable and sorted (sessions oldest first). */
  public record State(
      boolean exists,
      String username,
      @Secret String passwordHash,
      Instant createdAt,
      boolean disabled,
      Set<String> orgRoles,
      Map<String, Set<String>> projectRoles,
      int failures,
      Instant lastFailureAt,
      Instant lockedUntil,
      List<SessionRef> sessions)
      implements TroupeSerializable {

    public static final State EMPTY =
        new State(false, null, null, null, false, Set.of(), Map.of(), 0, null, null, List.of());

    public State {
      orgRoles = AccountRoles.sorted(orgRoles);
      projectRoles = AccountRoles.sorted(projectRoles);
      sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    Set<String> tokenRoles() {
      return AccountRoles.tokenRoles(orgRoles, projectRoles);
    }

    List<String> sessionIds() {
      return sessions.stream().map(SessionRef::sessionId).toList();
    }

    boolean holds(String sessionId) {
      return sessions.stream().anyMatch(s -> s.sessionId().equals(sessionId));
    }

    State withPasswordHash(String hash) {
      return new State(exists, username, hash, createdAt, disabled, orgRoles, projectRoles,
          failures, lastFailureAt, lockedUntil, sessions);
    }

    State withDisabled(boolean value, List<SessionRef> keptSessions) {
      return new State(exists, username, passwordHash, createdAt, value, orgRoles, projectRoles,
          failures, lastFailureAt, lockedUntil, keptSessions);
    }

    State withRoles(Set<String> org, Map<String, Set<String>> projects) {
      return new State(exists, username, passwordHash, createdAt, disabled, org, projects,
          failures, lastFailureAt, lockedUntil, sessions);
    }

    State withFailures(int count, Instant last, Instant until) {
      return new State(exists, username, passwordHash, createdAt, disabled, orgRoles,
          projectRoles, count, last, until, sessions);
    }

    State withSessions(List<SessionRef> list) {
      return new State(exists, username, passwordHash, createdAt, disabled, orgRoles,
          projectRoles, failures, lastFailureAt, lockedUntil, list);
    }

    @Override
    public String toString() {
      return "State[exists=" + exists + ", username=" + username + ", passwordHash=" + REDACTED
          + ", createdAt=" + createdAt + ", disabled=" + disabled + ", orgRoles=" + orgRoles
          + ", projectRoles=" + projectRoles + ", failures=" + failures + ", lastFailureAt="
          + lastFailureAt + ", lockedUntil=" + lockedUntil + ", sessions=" + sessions + "]";
    }
  }

  // ---------------------------------------------------------------- behaviour

  /** How long a password check may stay in flight before another may start. */
  public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);

  private final AccountSettings settings;

  /**
   * When the password checks in flight started. Not state: it guards this incarnation only, and a
   * restarted entity simply allows the next check.
   */
  private final ArrayDeque<Instant> inFlight = new ArrayDeque<>();

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new Account(context.getSystem(), entityId));
  }

  private Account(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
    this.settings = AccountSettings.from(system.settings().config());
  }

  static State apply(State state, Event event) {
    if (event instanceof Created created) {
      return new State(true, created.username(), created.passwordHash(), created.at(), false,
          created.orgRoles(), Map.of(), 0, null, null, List.of());
    }
    if (event instanceof PasswordChanged changed) {
      return state.withPasswordHash(changed.passwordHash());
    }
    if (event instanceof DisabledChanged changed) {
      return state.withDisabled(changed.disabled(), changed.disabled() ? List.of() : state.sessions());
    }
    if (event instanceof OrgRolesChanged changed) {
      return state.withRoles(changed.roles(), state.projectRoles());
    }
    if (event instanceof ProjectRolesChanged changed) {
      Map<String, Set<String>> projects = new TreeMap<>(state.projectRoles());
      if (changed.roles().isEmpty()) {
        projects.remove(changed.project());
      } else {
        projects.put(changed.project(), changed.roles());
      }
      return state.withRoles(state.orgRoles(), projects);
    }
    if (event instanceof LoggedIn loggedIn) {
      State reset = state.withFailures(0, null, null);
      if (state.holds(loggedIn.sessionId())) {
        return reset;
      }
      List<SessionRef> sessions = new ArrayList<>(state.sessions());
      sessions.add(new SessionRef(loggedIn.sessionId(), loggedIn.at()));
      return reset.withSessions(sessions);
    }
    if (event instanceof LoginFailed failed) {
      return state.withFailures(failed.failures(), failed.at(), failed.lockedUntil());
    }
    if (event instanceof SessionRemoved removed) {
      return state.withSessions(
          state.sessions().stream().filter(s -> !s.sessionId().equals(removed.sessionId())).toList());
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(GetCredentials.class, this::onGetCredentials)
        .onCommand(BeginAttempt.class, this::onBeginAttempt)
        .onCommand(EndAttempt.class, (state, cmd) -> endAttempt(Effect().noReply()))
        .onCommand(RecordLogin.class, (state, cmd) -> endAttempt(onRecordLogin(state, cmd)))
        .onCommand(RecordFailure.class, (state, cmd) -> endAttempt(onRecordFailure(state, cmd)))
        .onCommand(Roles.class, (state, cmd) -> Effect().reply(cmd.replyTo(), roleView(state)))
        .onCommand(SetProjectRoles.class, this::onSetProjectRoles)
        .onCommand(SetOrgRoles.class, this::onSetOrgRoles)
        .onCommand(ChangePassword.class, this::onChangePassword)
        .onCommand(SetDisabled.class, this::onSetDisabled)
        .onCommand(SessionEnded.class, this::onSessionEnded)
        .onCommand(
            ListSessions.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), new SessionRefList(state.sessions())))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), view(state)))
        .build();
  }

  private ReplyEffect<Event, State> onCreate(State state, Create cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: account already exists"));
    }
    String username = EntityIds.localIdOf(entityId());
    if (!Names.validAccount(username)) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error("invalid: username must match " + Names.PATTERN + " and not start with " + Names.RESERVED_USER_PREFIX));
    }
    Set<String> roles = cmd.orgRoles() == null ? Set.of() : cmd.orgRoles();
    Optional<String> invalid =
        hashViolation(cmd.passwordHash()).or(() -> AccountRoles.orgRolesViolation(roles, tenant()));
    if (invalid.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(invalid.get()));
    }
    return Effect()
        .persist(
            new Created(audit(cmd.context()), username, cmd.passwordHash(), roles, cmd.now()))
        .thenReply(cmd.replyTo(), newState -> StatusReply.ack());
  }

  private ReplyEffect<Event, State> onGetCredentials(State state, GetCredentials cmd) {
    Instant locked =
        state.lockedUntil() != null && state.lockedUntil().isAfter(cmd.now()) ? state.lockedUntil() : null;
    return Effect()
        .reply(cmd.replyTo(), new Credentials(state.exists(), state.passwordHash(), state.disabled(), locked));
  }

  private ReplyEffect<Event, State> onBeginAttempt(State state, BeginAttempt cmd) {
    Instant locked =
        state.lockedUntil() != null && state.lockedUntil().isAfter(cmd.now()) ? state.lockedUntil() : null;
    if (state.exists() && locked == null) {
      inFlight.removeIf(started -> !started.plus(ATTEMPT_TIMEOUT).isAfter(cmd.now()));
      LoginPolicy policy = settings.login();
      int failures = policy.failuresAt(state.failures(), state.lastFailureAt(), cmd.now());
      // Checks may overlap only while even all of them failing stays within the free attempts;
      // beyond that one at a time, so no burst of guesses outruns the back-off and the lock.
      if (inFlight.isEmpty() || failures + inFlight.size() < policy.freeAttempts()) {
        inFlight.addLast(cmd.now());
      } else {
        locked = cmd.now().plusSeconds(1);
      }
    }
    return Effect()
        .reply(cmd.replyTo(), new Credentials(state.exists(), state.passwordHash(), state.disabled(), locked));
  }

  /** A check in flight is over, whatever the effect does. */
  private ReplyEffect<Event, State> endAttempt(ReplyEffect<Event, State> effect) {
    inFlight.pollFirst();
    return effect;
  }

  private ReplyEffect<Event, State> onRecordLogin(State state, RecordLogin cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: account"));
    }
    if (state.lockedUntil() != null && state.lockedUntil().isAfter(cmd.now())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("invalid: account is locked"));
    }
    if (state.disabled()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("invalid: account is disabled"));
    }
    if (!EntityIds.isValidPart(cmd.sessionId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("invalid: session id"));
    }
    List<Event> events = new ArrayList<>();
    List<String> evicted = new ArrayList<>();
    if (!state.holds(cmd.sessionId())) {
      int overflow = state.sessions().size() + 1 - settings.sessionsPerUser();
      for (int i = 0; i < overflow; i++) {
        String oldest = state.sessions().get(i).sessionId();
        evicted.add(oldest);
        events.add(new SessionRemoved(audit(cmd.context()), oldest));
      }
    }
    events.add(new LoggedIn(audit(cmd.context()), cmd.sessionId(), cmd.now()));
    List<String> evictedSessions = List.copyOf(evicted);
    return Effect()
        .persist(events)
        .thenReply(
            cmd.replyTo(),
            newState -> StatusReply.success(new LoginRecorded(newState.tokenRoles(), evictedSessions)));
  }

  private ReplyEffect<Event, State> onRecordFailure(State state, RecordFailure cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: account"));
    }
    LoginPolicy policy = settings.login();
    int failures = policy.failuresAfterFailure(state.failures(), state.lastFailureAt(), cmd.now());
    Instant lockedUntil = policy.lockedUntil(failures, cmd.now());
    // A failure never shortens a block already in force.
    if (state.lockedUntil() != null
        && state.lockedUntil().isAfter(cmd.now())
        && (lockedUntil == null || state.lockedUntil().isAfter(lockedUntil))) {
      lockedUntil = state.lockedUntil();
    }
    Instant until = lockedUntil;
    return Effect()
        .persist(new LoginFailed(audit(cmd.context()), failures, until, cmd.now()))
        .thenReply(cmd.replyTo(), newState -> StatusReply.success(new FailureRecorded(failures, until)));
  }

  private ReplyEffect<Event, State> onSetProjectRoles(State state, SetProjectRoles cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: account"));
    }
    Optional<String> invalid = AccountRoles.projectRolesViolation(cmd.project(), cmd.roles());
    if (invalid.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(invalid.get()));
    }
    Set<String> roles = AccountRoles.sorted(cmd.roles());
    Set<String> current = state.projectRoles().getOrDefault(cmd.project(), Set.of());
    if (roles.equals(current)) {
      return Effect().reply(cmd.replyTo(), roleView(state));
    }
    if (current.isEmpty() && state.projectRoles().size() >= settings.projectsPerOrg()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error("limit: roles in at most " + settings.projectsPerOrg() + " projects"));
    }
    return Effect()
        .persist(new ProjectRolesChanged(audit(cmd.context()), cmd.project(), roles))
        .thenReply(cmd.replyTo(), Account::roleView);
  }

  private ReplyEffect<Event, State> onSetOrgRoles(State state, SetOrgRoles cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: account"));
    }
    Optional<String> invalid = AccountRoles.orgRolesViolation(cmd.roles(), tenant());
    if (invalid.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(invalid.get()));
    }
    Set<String> roles = AccountRoles.sorted(cmd.roles());
    if (roles.equals(state.orgRoles())) {
      return Effect().reply(cmd.replyTo(), roleView(state));
    }
    return Effect()
        .persist(new OrgRolesChanged(audit(cmd.context()), roles))
        .thenReply(cmd.replyTo(), Account::roleView);
  }

  private ReplyEffect<Event, State> onChangePassword(State state, ChangePassword cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: account"));
    }
    Optional<String> invalid = hashViolation(cmd.passwordHash());
    if (invalid.isPresent()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error(invalid.get()));
    }
    List<String> sessions = new SessionIdList(state.sessionIds());
    return Effect()
        .persist(new PasswordChanged(audit(cmd.context()), cmd.passwordHash()))
        .thenReply(cmd.replyTo(), newState -> StatusReply.success(sessions));
  }

  private ReplyEffect<Event, State> onSetDisabled(State state, SetDisabled cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: account"));
    }
    if (state.disabled() == cmd.disabled()) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(new SessionIdList(List.of())));
    }
    List<String> sessions = new SessionIdList(cmd.disabled() ? state.sessionIds() : List.of());
    return Effect()
        .persist(new DisabledChanged(audit(cmd.context()), cmd.disabled()))
        .thenReply(cmd.replyTo(), newState -> StatusReply.success(sessions));
  }

  private ReplyEffect<Event, State> onSessionEnded(State state, SessionEnded cmd) {
    if (!state.holds(cmd.sessionId())) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(new SessionRemoved(audit(cmd.context()), cmd.sessionId()))
        .thenReply(cmd.replyTo(), newState -> Done.getInstance());
  }

  private static Optional<String> hashViolation(String hash) {
    if (hash == null || hash.isBlank() || hash.length() > MAX_HASH_LENGTH) {
      return Optional.of("invalid: password hash");
    }
    return Optional.empty();
  }

  private static StatusReply<RoleView> roleView(State state) {
    if (!state.exists()) {
      return StatusReply.error("not found: account");
    }
    return StatusReply.success(
        new RoleView(state.disabled(), state.orgRoles(), state.projectRoles(), state.tokenRoles()));
  }

  private static StatusReply<View> view(State state) {
    if (!state.exists()) {
      return StatusReply.error("not found: account");
    }
    return StatusReply.success(
        new View(state.username(), state.createdAt(), state.disabled(), state.orgRoles(), state.projectRoles()));
  }
}
