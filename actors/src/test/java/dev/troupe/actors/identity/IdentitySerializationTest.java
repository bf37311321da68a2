package dev.troupe.actors.identity;

import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.org.Org;
import dev.troupe.actors.identity.session.Session;
import dev.troupe.actors.testkit.GoldenSamples;
import dev.troupe.persistence.audit.AuditRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every persisted org, account and session event and state still reads back from its golden bytes. */
class IdentitySerializationTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  private static final AuditRecord AUDIT =
      new AuditRecord("ann", "acme", "req-1", "node-a", Instant.parse("2026-01-02T03:04:05.678Z"));
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
  private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void orgEventsAndStateReadBack() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put("org/Created-v1", new Org.Created(AUDIT, "acme", "Acme Inc."));
    events.put("org/ProjectCreated-v1", new Org.ProjectCreated(AUDIT, "web"));
    events.put("org/UserAdded-v1", new Org.UserAdded(AUDIT, "alice"));
    GoldenSamples.assertCovers(Org.Event.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put(
        "org/State-v1",
        new Org.State(
            true,
            "acme",
            "Acme Inc.",
            T0,
            Map.of(
                "web", new Org.Project("web", T0, "ann"),
                "api", new Org.Project("api", T0.plusSeconds(1), "bob")),
            Set.of("alice", "bob", "carol")));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }

  @Test
  void accountEventsAndStateReadBack() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put(
        "account/Created-v1",
        new Account.Created(AUDIT, "alice", HASH, Set.of("org-admin", "sys-admin"), T0));
    events.put("account/PasswordChanged-v1", new Account.PasswordChanged(AUDIT, HASH));
    events.put("account/DisabledChanged-v1", new Account.DisabledChanged(AUDIT, true));
    events.put("account/OrgRolesChanged-v1", new Account.OrgRolesChanged(AUDIT, Set.of("org-admin")));
    events.put(
        "account/ProjectRolesChanged-v1",
        new Account.ProjectRolesChanged(AUDIT, "web", Set.of("project-user", "project-admin")));
    events.put("account/LoggedIn-v1", new Account.LoggedIn(AUDIT, "AAAAAAAAAAAAAAAAAAAAAA", T0));
    events.put("account/LoginFailed-v1", new Account.LoginFailed(AUDIT, 4, T0.plusSeconds(1), T0));
    events.put("account/SessionRemoved-v1", new Account.SessionRemoved(AUDIT, "AAAAAAAAAAAAAAAAAAAAAA"));
    GoldenSamples.assertCovers(Account.Event.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put(
        "account/State-v1",
        new Account.State(
            true,
            "alice",
            HASH,
            T0,
            false,
            Set.of("org-admin"),
            Map.of("web", Set.of("project-admin", "project-user"), "api", Set.of("project-user")),
            5,
            T0.plusSeconds(60),
            T0.plusSeconds(62),
            List.of(
                new Account.SessionRef("AAAAAAAAAAAAAAAAAAAAAA", T0),
                new Account.SessionRef("BBBBBBBBBBBBBBBBBBBBBB", T0.plusSeconds(5)))));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }

  @Test
  void sessionEventsAndStateReadBack() throws Exception {
    Map<String, Object> events = new LinkedHashMap<>();
    events.put(
        "session/Started-v1",
        new Session.Started(
            AUDIT, "alice", "laptop", "10.0.0.1", "curl/8.5", "refresh-hash-0", T0.plusSeconds(604800), T0));
    events.put("session/Refreshed-v1", new Session.Refreshed(AUDIT, "refresh-hash-1", 32, T0.plusSeconds(300)));
    events.put("session/Touched-v1", new Session.Touched(AUDIT, T0.plusSeconds(60)));
    events.put("session/Revoked-v1", new Session.Revoked(AUDIT, "logout"));
    events.put("session/Expired-v1", new Session.Expired(AUDIT, "idle"));
    GoldenSamples.assertCovers(Session.Event.class, events);

    Map<String, Object> all = new LinkedHashMap<>(events);
    all.put(
        "session/State-v1",
        new Session.State(
            true,
            "alice",
            "laptop",
            "10.0.0.1",
            "curl/8.5",
            T0,
            T0.plusSeconds(300),
            T0.plusSeconds(604800),
            "refresh-hash-2",
            List.of("refresh-hash-0", "refresh-hash-1"),
            Session.Status.REVOKED,
            "logout"));
    GoldenSamples.verify(testKit.system(), Path.of("src/test/golden"), all);
  }
}
