package dev.troupe.actors.identity.org;

import dev.troupe.actors.entity.EntityKind;
import dev.troupe.actors.entity.TroupeEntity;
import dev.troupe.actors.identity.Names;
import dev.troupe.persistence.TroupeSerializable;
import dev.troupe.persistence.audit.AuditRecord;
import dev.troupe.persistence.audit.AuditedEvent;
import dev.troupe.persistence.audit.RequestContext;
import dev.troupe.persistence.entity.EntityIds;
import dev.troupe.persistence.entity.EntityModel;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 * An org: a tenant with its projects and the directory of its usernames (so that a login for a
 * user who does not exist never wakes an account entity). Its scoped id is {@code <org>:<org>}.
 *
 * <p>Refusals are {@link StatusReply#error} messages starting with {@code "not found: "},
 * {@code "conflict: "}, {@code "invalid: "} or {@code "limit: "}, which the HTTP edge maps to
 * status codes.
 */
public final class Org extends TroupeEntity<Org.Command, Org.Event, Org.State> {

  /** Longest display name. */
  public static final int MAX_DISPLAY_NAME_LENGTH = 128;

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "org");

  public static final EntityModel<State, Event> MODEL =
      EntityModel.of("org", Event.class, State.EMPTY, Org::apply);

  public static final EntityKind<Command, Event, State> KIND =
      new EntityKind<>(TYPE_KEY, MODEL, context -> create(context.getEntityId()));

  /** What an org accepts. */
  public sealed interface Command extends TroupeSerializable {}

  /**
   * Creates the org. Its name is the entity id; a blank display name becomes the name. Refused
   * with {@code "conflict: org already exists"} the second time.
   */
  public record Create(RequestContext context, String displayName, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** Reads the org; {@code "not found: org"} before it is created. */
  public record Get(ActorRef<StatusReply<View>> replyTo) implements Command {}

  /** Adds a project (a valid, new name, within the per-org limit). */
  public record CreateProject(
      RequestContext context, String project, ActorRef<StatusReply<View>> replyTo)
      implements Command {}

  /** Registers a username in the org's directory (a valid, new name, within the limit). */
  public record AddUser(RequestContext context, String username, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** Whether the directory holds a username; false when the org does not exist. */
  public record HasUser(String username, ActorRef<Boolean> replyTo) implements Command {}

  /** What happened to an org. */
  public sealed interface Event extends AuditedEvent {}

  /** The org was created; {@code name} is its (entity id) name. */
  public record Created(AuditRecord audit, String name, String displayName) implements Event {}

  public record ProjectCreated(AuditRecord audit, String project) implements Event {}

  public record UserAdded(AuditRecord audit, String username) implements Event {}

  /** One project: who created it and when (the audit record of its creation). */
  public record Project(String name, Instant createdAt, String createdBy)
      implements TroupeSerializable {}

  /** The org; also its snapshot. Collections are immutable and sorted by name. */
  public record State(
      boolean exists,
      String name,
      String displayName,
      Instant createdAt,
      Map<String, Project> projects,
      Set<String> users)
      implements TroupeSerializable {

    public static final State EMPTY =
        new State(false, null, null, null, Map.of(), SortedNames.empty());

    public State {
      projects = Collections.unmodifiableSortedMap(new TreeMap<>(projects));
      users = SortedNames.of(users);
    }
  }

  /** An immutable view of an org; projects sorted. */
  public record View(
      String name, String displayName, Instant createdAt, List<String> projects, int users)
      implements TroupeSerializable {}

  private final OrgSettings settings;

  public static Behavior<Command> create(String entityId) {
    return Behaviors.setup(context -> new Org(context.getSystem(), entityId));
  }

  private Org(ActorSystem<?> system, String entityId) {
    super(system, KIND, entityId);
    this.settings = OrgSettings.from(system.settings().config());
  }

  static State apply(State state, Event event) {
    if (event instanceof Created created) {
      return new State(
          true,
          created.name(),
          created.displayName(),
          created.audit().timestamp(),
          state.projects(),
          state.users());
    }
    if (event instanceof ProjectCreated created) {
      Map<String, Project> projects = new TreeMap<>(state.projects());
      projects.put(
          created.project(),
          new Project(created.project(), created.audit().timestamp(), created.audit().principal()));
      return new State(
          state.exists(), state.name(), state.displayName(), state.createdAt(), projects, state.users());
    }
    if (event instanceof UserAdded added) {
      return new State(
          state.exists(),
          state.name(),
          state.displayName(),
          state.createdAt(),
          state.projects(),
          SortedNames.of(state.users()).with(added.username()));
    }
    throw new IllegalArgumentException("unknown event " + event.getClass());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), view(state)))
        .onCommand(CreateProject.class, this::onCreateProject)
        .onCommand(AddUser.class, this::onAddUser)
        .onCommand(
            HasUser.class,
            (state, cmd) ->
                Effect().reply(cmd.replyTo(), state.exists() && state.users().contains(cmd.username())))
        .build();
  }

  private ReplyEffect<Event, State> onCreate(State state, Create cmd) {
    if (state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: org already exists"));
    }
    String name = EntityIds.localIdOf(entityId());
    if (!Names.valid(name)) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("invalid: org name must match " + Names.PATTERN));
    }
    String displayName = cmd.displayName() == null ? "" : cmd.displayName().strip();
    if (displayName.length() > MAX_DISPLAY_NAME_LENGTH) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(
                  "invalid: display name must be at most " + MAX_DISPLAY_NAME_LENGTH + " characters"));
    }
    if (displayName.isEmpty()) {
      displayName = name;
    }
    return Effect()
        .persist(new Created(audit(cmd.context()), name, displayName))
        .thenReply(cmd.replyTo(), Org::view);
  }

  private ReplyEffect<Event, State> onCreateProject(State state, CreateProject cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: org"));
    }
    if (!Names.valid(cmd.project())) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error("invalid: project name must match " + Names.PATTERN));
    }
    if (state.projects().containsKey(cmd.project())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: project already exists"));
    }
    if (state.projects().size() >= settings.projectsPerOrg()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error("limit: at most " + settings.projectsPerOrg() + " projects per org"));
    }
    return Effect()
        .persist(new ProjectCreated(audit(cmd.context()), cmd.project()))
        .thenReply(cmd.replyTo(), Org::view);
  }

  private ReplyEffect<Event, State> onAddUser(State state, AddUser cmd) {
    if (!state.exists()) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("not found: org"));
    }
    if (!Names.validAccount(cmd.username())) {
      return Effect()
          .reply(cmd.replyTo(), StatusReply.error("invalid: username must match " + Names.PATTERN + " and not start with " + Names.RESERVED_USER_PREFIX));
    }
    if (state.users().contains(cmd.username())) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: user already exists"));
    }
    if (state.users().size() >= settings.usersPerOrg()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error("limit: at most " + settings.usersPerOrg() + " users per org"));
    }
    return Effect()
        .persist(new UserAdded(audit(cmd.context()), cmd.username()))
        .thenReply(cmd.replyTo(), newState -> StatusReply.ack());
  }

  private static StatusReply<View> view(State state) {
    if (!state.exists()) {
      return StatusReply.error("not found: org");
    }
    return StatusReply.success(
        new View(
            state.name(),
            state.displayName(),
            state.createdAt(),
            List.copyOf(state.projects().keySet()),
            state.users().size()));
  }
}
