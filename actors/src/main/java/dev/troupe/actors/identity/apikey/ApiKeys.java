package dev.troupe.actors.identity.apikey;

import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * API keys on a node: {@link #admin()} creates, lists and revokes a project's keys; {@link
 * #authenticator()} verifies a presented key on the request path.
 */
public final class ApiKeys implements Extension {

  /** The session id of a key's principal: {@code apikey:<id>}; also its revocation subject. */
  public static String sessionIdOf(String keyId) {
    return "apikey:" + keyId;
  }

  /**
   * The user name of a key's principal: {@code key-<id>}. No account can take such a name ({@link
   * dev.troupe.actors.identity.Names#validAccount}).
   */
  public static String usernameOf(String keyId) {
    return "key-" + keyId;
  }

  private final ApiKeySettings settings;
  private final ApiKeyAuthenticator authenticator;
  private final ApiKeyAdmin admin;

  private ApiKeys(ActorSystem<?> system) {
    this.settings = ApiKeySettings.from(system.settings().config());
    ApiKeyAsks asks = new ApiKeyAsks(system);
    KeyIdSecrets secrets = new KeyIdSecrets(asks);
    Clock clock = Clock.systemUTC();
    this.authenticator = new ApiKeyAuthenticator(asks, secrets, settings, clock);
    this.admin = new ApiKeyAdmin(asks, secrets, settings, clock, authenticator);
  }

  public static ApiKeys get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public ApiKeySettings settings() {
    return settings;
  }

  /** Creating, listing and revoking keys. */
  public ApiKeyAdmin admin() {
    return admin;
  }

  /** Verifying presented keys. */
  public ApiKeyAuthenticator authenticator() {
    return authenticator;
  }

  private static final class Id extends ExtensionId<ApiKeys> {
    static final Id INSTANCE = new Id();

    @Override
    public ApiKeys createExtension(ActorSystem<?> system) {
      return new ApiKeys(system);
    }
  }
}
