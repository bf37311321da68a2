package dev.troupe.actors.identity;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/** The actor test kit the identity entity tests share: small limits so they are reachable. */
public final class IdentityTestKit {

  private IdentityTestKit() {}

  public static ActorTestKit create() {
    return ActorTestKit.create(
        ConfigFactory.parseString(
                "troupe.node-name = unit-node\n"
                    + "pekko.actor.provider = local\n"
                    + "troupe.identity.limits.projects-per-org = 2\n"
                    + "troupe.identity.limits.users-per-org = 3\n"
                    + "troupe.identity.limits.sessions-per-user = 2\n"
                    + "troupe.identity.sessions.refresh-history = 2\n")
            .withFallback(EventSourcedBehaviorTestKit.config())
            .withFallback(ConfigFactory.load()));
  }
}
