package dev.troupe.actors.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.account.LoginPolicy;
import dev.troupe.actors.identity.org.Org;
import dev.troupe.actors.identity.password.PasswordHasher;
import dev.troupe.actors.identity.revocation.Revocations;
import dev.troupe.actors.identity.session.Session;
import dev.troupe.actors.identity.token.KeyRingSync;
import dev.troupe.actors.identity.token.SigningKeys;
import dev.troupe.actors.identity.token.TokenSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Identity on a node: its entity types (orgs, accounts, sessions, signing keys) and the services
 * routes and applications use. {@link #start} runs once per node before it takes traffic.
 */
public final class Identity implements Extension {

  private final ActorSystem<?> system;
  private final Logins logins;
  private final Directory directory;
  private final OwnSessions sessions;
  private final TokenAuthentication authentication;
  private final AdminBootstrap bootstrap;
  private final PasswordHasher hasher;
  private final KeyRingSync keys;
  private final AtomicBoolean started = new AtomicBoolean();

  private Identity(ActorSystem<?> system) {
    this.system = system;
    Clock clock = Clock.systemUTC();
    IdentityAsks asks = new IdentityAsks(system);
    TokenSettings tokenSettings = TokenSettings.from(system.settings().config());
    KeyRingSync keys = KeyRingSync.get(system);
    this.hasher = PasswordHasher.get(system);
    Revocations revocations = Revocations.get(system);
    SessionRevoker revoker =
        new SessionRevoker(asks, revocations, tokenSettings.accessTokenTtl().plus(tokenSettings.clockSkew()), clock);
    LoginPolicy policy = LoginPolicy.from(system.settings().config());
    this.logins =
        new Logins(
            asks,
            hasher,
            new AccessTokens(keys.issuer(), tokenSettings.accessTokenTtl(), clock),
            revoker,
            new UnknownUserThrottle(policy, 100_000),
            clock);
    this.directory = new Directory(asks, hasher, revoker);
    this.sessions = new OwnSessions(asks, revoker, clock);
    this.keys = keys;
    this.authentication =
        new TokenAuthentication(keys, revocations, SessionTouches.of(system, asks, clock), clock);
    this.bootstrap = new AdminBootstrap(asks, directory);
  }

  public static Identity get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * Starts the identity entity types and loads the signing keys. Call once per node, before
   * serving requests.
   */
  public CompletionStage<Void> start() {
    if (started.compareAndSet(false, true)) {
      Entities.init(system, Org.KIND);
      Entities.init(system, Account.KIND);
      Entities.init(system, Session.KIND);
      Entities.init(system, SigningKeys.KIND);
    }
    return keys.ready().thenApply(done -> null);
  }

  /**
   * Refuses a configured admin password that breaks the password policy, before anything waits.
   *
   * @throws IllegalArgumentException with the policy it breaks
   */
  public void checkAdminPassword(String password) {
    if (password != null && !password.isEmpty()) {
      Optional<String> problem = hasher.policyViolation(password);
      if (problem.isPresent()) {
        throw new IllegalArgumentException("admin password: " + problem.get());
      }
    }
  }

  /**
   * Creates the sys-admin on the first start.
   *
   * @return the generated password, to print once, when one was generated now
   */
  public CompletionStage<Optional<String>> ensureAdmin(String username, String password) {
    return bootstrap.ensure(username, password);
  }

  /** Rotates the token signing key now (sys-admins); tokens of the old key verify until they expire. */
  public CompletionStage<String> rotateKeys(Principal principal, String requestId) {
    if (!principal.isSysAdmin()) {
      return CompletableFuture.failedFuture(IdentityException.forbidden("only a sys-admin rotates keys"));
    }
    return keys.rotateNow(principal.context(requestId));
  }

  /** The JSON Web Key Set of the public keys that verify access tokens now. */
  public Map<String, Object> publicKeys() {
    List<JWK> all = new ArrayList<>(keys.keyRing().publicKeys().values());
    return new JWKSet(all).toJSONObject(true);
  }

  public Logins logins() {
    return logins;
  }

  public Directory directory() {
    return directory;
  }

  public OwnSessions sessions() {
    return sessions;
  }

  public TokenAuthentication authentication() {
    return authentication;
  }

  private static final class Id extends ExtensionId<Identity> {
    static final Id INSTANCE = new Id();

    @Override
    public Identity createExtension(ActorSystem<?> system) {
      return new Identity(system);
    }
  }
}
