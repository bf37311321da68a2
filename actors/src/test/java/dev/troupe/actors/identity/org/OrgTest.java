package dev.troupe.actors.identity.org;

import static org.assertj.core.api.Assertions.assertThat;

import dev.troupe.actors.identity.IdentityTestKit;
import dev.troupe.persistence.audit.RequestContext;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The org entity: creation, projects, the user directory and their limits (2 projects, 3 users). */
class OrgTest {

  private static final ActorTestKit testKit = IdentityTestKit.create();
  private static final RequestContext ROOT = new RequestContext("req-1", "root", "system");
  private static final RequestContext ADMIN = new RequestContext("req-2", "ann", "acme");

  private final EventSourcedBehaviorTestKit<Org.Command, Org.Event, Org.State> kit =
      EventSourcedBehaviorTestKit.create(testKit.system(), Org.create("acme:acme"));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void reset() {
    kit.clear();
  }

  private CommandResultWithReply<Org.Command, Org.Event, Org.State, StatusReply<Org.View>> create(
      String displayName) {
    return kit.runCommand(replyTo -> new Org.Create(ROOT, displayName, replyTo));
  }

  private CommandResultWithReply<Org.Command, Org.Event, Org.State, StatusReply<Org.View>> project(
      String name) {
    return kit.runCommand(replyTo -> new Org.CreateProject(ADMIN, name, replyTo));
  }

  private CommandResultWithReply<Org.Command, Org.Event, Org.State, StatusReply<Done>> addUser(
      String name) {
    return kit.runCommand(replyTo -> new Org.AddUser(ADMIN, name, replyTo));
  }

  private boolean hasUser(String name) {
    return kit.<Boolean>runCommand(replyTo -> new Org.HasUser(name, replyTo)).reply();
  }

  @Test
  void createPersistsTheNameAndDisplayName() {
    var result = create(" Acme Inc. ");

    Org.View view = result.reply().getValue();
    assertThat(view.name()).isEqualTo("acme");
    assertThat(view.displayName()).isEqualTo("Acme Inc.");
    assertThat(view.projects()).isEmpty();
    assertThat(view.users()).isZero();
    Org.Created created = result.eventOfType(Org.Created.class);
    assertThat(created.name()).isEqualTo("acme");
    assertThat(created.audit().principal()).isEqualTo("root");
    assertThat(view.createdAt()).isEqualTo(created.audit().timestamp());
    assertThat(result.state().exists()).isTrue();
  }

  @Test
  void blankDisplayNameBecomesTheName() {
    assertThat(create("  ").reply().getValue().displayName()).isEqualTo("acme");
    kit.clear();
    assertThat(create(null).reply().getValue().displayName()).isEqualTo("acme");
  }

  @Test
  void refusesATooLongDisplayName() {
    var result = create("x".repeat(Org.MAX_DISPLAY_NAME_LENGTH + 1));

    assertThat(result.reply().getError().getMessage()).startsWith("invalid: ");
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void refusesAnIdThatIsNotAName() {
    var upper =
        EventSourcedBehaviorTestKit.<Org.Command, Org.Event, Org.State>create(
            testKit.system(), Org.create("Acme:Acme"));
    var result = upper.<StatusReply<Org.View>>runCommand(replyTo -> new Org.Create(ROOT, "", replyTo));

    assertThat(result.reply().getError().getMessage()).startsWith("invalid: ");
    assertThat(result.hasNoEvents()).isTrue();
  }

  @Test
  void refusesASecondCreate() {
    create("Acme");

    var result = create("Other");

    assertThat(result.reply().getError().getMessage()).isEqualTo("conflict: org already exists");
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(kit.getState().displayName()).isEqualTo("Acme");
  }

  @Test
  void getIsNotFoundBeforeCreate() {
    var result = kit.<StatusReply<Org.View>>runCommand(Org.Get::new);

    assertThat(result.reply().getError().getMessage()).isEqualTo("not found: org");
  }

  @Test
  void getShowsProjectsSortedAndTheUserCount() {
    create("Acme");
    project("web");
    project("api");
    addUser("bob");

    Org.View view = kit.<StatusReply<Org.View>>runCommand(Org.Get::new).reply().getValue();

    assertThat(view.projects()).containsExactly("api", "web");
    assertThat(view.users()).isEqualTo(1);
  }

  @Test
  void createProjectRecordsWhoAndWhen() {
    create("Acme");

    var result = project("web");

    assertThat(result.reply().getValue().projects()).containsExactly("web");
    Org.ProjectCreated event = result.eventOfType(Org.ProjectCreated.class);
    Org.Project stored = result.state().projects().get("web");
    assertThat(stored)
        .isEqualTo(new Org.Project("web", event.audit().timestamp(), "ann"));
  }

  @Test
  void createProjectRefusals() {
    assertThat(project("web").reply().getError().getMessage()).isEqualTo("not found: org");
    create("Acme");
    assertThat(project("Web").reply().getError().getMessage()).startsWith("invalid: ");
    assertThat(project("").reply().getError().getMessage()).startsWith("invalid: ");
    assertThat(project(null).reply().getError().getMessage()).startsWith("invalid: ");
    project("web");
    var duplicate = project("web");
    assertThat(duplicate.reply().getError().getMessage()).isEqualTo("conflict: project already exists");
    assertThat(duplicate.hasNoEvents()).isTrue();
    project("api");
    var third = project("db");
    assertThat(third.reply().getError().getMessage()).isEqualTo("limit: at most 2 projects per org");
    assertThat(third.hasNoEvents()).isTrue();
    assertThat(kit.getState().projects().keySet()).containsExactly("api", "web");
  }

  @Test
  void addUserRegistersTheName() {
    create("Acme");
    assertThat(hasUser("bob")).isFalse();

    var result = addUser("bob");

    assertThat(result.reply().isSuccess()).isTrue();
    assertThat(result.eventOfType(Org.UserAdded.class).username()).isEqualTo("bob");
    assertThat(hasUser("bob")).isTrue();
    assertThat(hasUser("carol")).isFalse();
  }

  @Test
  void addUserRefusals() {
    assertThat(addUser("bob").reply().getError().getMessage()).isEqualTo("not found: org");
    create("Acme");
    assertThat(addUser("Bob").reply().getError().getMessage()).startsWith("invalid: ");
    assertThat(addUser("x".repeat(64)).reply().getError().getMessage()).startsWith("invalid: ");
    addUser("bob");
    var duplicate = addUser("bob");
    assertThat(duplicate.reply().getError().getMessage()).isEqualTo("conflict: user already exists");
    assertThat(duplicate.hasNoEvents()).isTrue();
    addUser("carol");
    addUser("alice");
    var fourth = addUser("dave");
    assertThat(fourth.reply().getError().getMessage()).isEqualTo("limit: at most 3 users per org");
    assertThat(fourth.hasNoEvents()).isTrue();
    assertThat(List.copyOf(kit.getState().users())).containsExactly("alice", "bob", "carol");
  }

  @Test
  void hasUserIsFalseWhenTheOrgIsMissing() {
    assertThat(hasUser("bob")).isFalse();
  }

  @Test
  void recoversAndFoldsToTheSameState() {
    create("Acme");
    project("web");
    addUser("bob");
    addUser("alice");
    Org.State live = kit.getState();

    assertThat(kit.restart().state()).isEqualTo(live);
    Org.State folded = Org.MODEL.emptyState();
    for (Object event : kit.persistenceTestKit().<Object>persistedInStorage("org|acme:acme")) {
      folded = Org.MODEL.applyUntyped(folded, event);
    }
    assertThat(folded).isEqualTo(live);
  }
}
