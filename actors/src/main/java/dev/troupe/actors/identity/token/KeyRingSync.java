package dev.troupe.actors.identity.token;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.identity.Names;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Keeps this node's {@link KeyRing} in step with the {@link SigningKeys} entity, and rotates keys.
 *
 * <p>Created on first use ({@link #get}): it starts the signing-keys entity type, loads the keys
 * (creating the first key if there is none; {@link #ready()} completes then), and every {@code
 * troupe.identity.tokens.key-refresh} re-reads them and, when the current key is older than
 * {@code rotate-every} or a retired key is past its retention, generates a candidate on the crypto
 * dispatcher and asks the entity to install it. The entity decides atomically, so several nodes
 * rotating at once install one key.
 *
 * <p>Also offers the node's {@link TokenIssuer}, {@link TokenVerifier} and {@link VerifiedTokens},
 * and {@link #verify} which uses all three and refreshes once for an unknown key id.
 */
public final class KeyRingSync implements Extension {

  /** The dispatcher hashing and key generation run on. */
  public static final String CRYPTO_DISPATCHER = "troupe.identity.crypto-dispatcher";

  private static final Logger log = LoggerFactory.getLogger(KeyRingSync.class);

  private static final RequestContext ROTATION_CONTEXT =
      new RequestContext("key-rotation", "system", Names.SYSTEM_ORG);

  private final ActorSystem<?> system;
  private final TokenSettings settings;
  private final KeyRing keyRing = new KeyRing();
  private final TokenIssuer issuer;
  private final TokenVerifier verifier;
  private final VerifiedTokens verifiedTokens;
  private final ExecutionContextExecutor crypto;
  private final Duration askTimeout;
  private final CompletableFuture<Done> ready = new CompletableFuture<>();

  private final Object lock = new Object();
  private CompletableFuture<KeySet> inFlight; // guarded by lock
  private long lastRefreshNanos; // guarded by lock
  private volatile KeySet lastKeys = KeySet.EMPTY;

  private KeyRingSync(ActorSystem<?> system) {
    this.system = system;
    this.settings = TokenSettings.from(system.settings().config());
    this.issuer = new TokenIssuer(keyRing, settings);
    this.verifier = new TokenVerifier(keyRing, settings);
    this.verifiedTokens = new VerifiedTokens(settings);
    this.crypto = system.dispatchers().lookup(DispatcherSelector.fromConfig(CRYPTO_DISPATCHER));
    this.askTimeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
    this.lastRefreshNanos = System.nanoTime() - settings.keyRefreshMinInterval().toNanos() - 1;
    Entities.init(system, SigningKeys.KIND);
    bootstrap();
    system
        .scheduler()
        .scheduleWithFixedDelay(
            settings.keyRefresh(), settings.keyRefresh(), this::tick, crypto);
  }

  public static KeyRingSync get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Completes once a signing key is loaded (the first key is created if there is none). */
  public CompletionStage<Done> ready() {
    return ready;
  }

  /**
   * Re-reads the keys from the entity. Single-flight (callers share one request) and at most once
   * per {@code key-refresh-min-interval}; within that interval the last keys are returned.
   */
  public CompletionStage<KeySet> refresh() {
    synchronized (lock) {
      if (inFlight != null) {
        return inFlight;
      }
      long now = System.nanoTime();
      if (now - lastRefreshNanos < settings.keyRefreshMinInterval().toNanos()) {
        return CompletableFuture.completedFuture(lastKeys);
      }
      lastRefreshNanos = now;
      CompletableFuture<KeySet> fetch = fetch().toCompletableFuture();
      inFlight = fetch;
      fetch.whenComplete(
          (keys, error) -> {
            synchronized (lock) {
              inFlight = null;
            }
          });
      return fetch;
    }
  }

  /**
   * Generates a key and makes it current at once, retiring the current key (tokens it signed
   * still verify until they expire). Completes with the new key's id.
   */
  public CompletionStage<String> rotateNow(RequestContext context) {
    return generate()
        .thenCompose(
            candidate ->
                install(context, candidate, true)
                    .thenApply(
                        keys -> {
                          if (keys.find(candidate.kid()).isEmpty()) {
                            throw new IllegalStateException(
                                "rotation refused: too many signing keys kept");
                          }
                          return candidate.kid();
                        }));
  }

  /**
   * Verifies a token: from the cache, else with the verifier (refreshing the keys once when the
   * token names an unknown key). Fails with {@link InvalidTokenException}. Revocation is the
   * caller's check.
   */
  public CompletionStage<Verified> verify(String token, Instant now) {
    Optional<Verified> cached = verifiedTokens.cached(token, now);
    if (cached.isPresent()) {
      return CompletableFuture.completedFuture(cached.get());
    }
    try {
      return CompletableFuture.completedFuture(verifyAndCache(token, now));
    } catch (InvalidTokenException e) {
      if (!e.unknownKey()) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return refresh()
        .thenApply(
            keys -> {
              try {
                return verifyAndCache(token, now);
              } catch (InvalidTokenException e) {
                throw new CompletionException(e);
              }
            });
  }

  public KeyRing keyRing() {
    return keyRing;
  }

  public TokenIssuer issuer() {
    return issuer;
  }

  public TokenVerifier verifier() {
    return verifier;
  }

  public VerifiedTokens verifiedTokens() {
    return verifiedTokens;
  }

  public TokenSettings settings() {
    return settings;
  }

  private Verified verifyAndCache(String token, Instant now) throws InvalidTokenException {
    Verified verified = verifier.verify(token, now);
    verifiedTokens.put(token, verified);
    return verified;
  }

  private void bootstrap() {
    sync()
        .whenComplete(
            (keys, error) -> {
              if (ready.isDone() || system.whenTerminated().isCompleted()) {
                return;
              }
              if (error != null) {
                log.info("Signing keys not loaded yet ({}); retrying", error.toString());
              }
              Duration retry = settings.keyRefreshMinInterval();
              if (retry.compareTo(Duration.ofMillis(500)) < 0) {
                retry = Duration.ofMillis(500);
              }
              system.scheduler().scheduleOnce(retry, this::bootstrap, crypto);
            });
  }

  private void tick() {
    sync()
        .whenComplete(
            (keys, error) -> {
              if (error != null && !system.whenTerminated().isCompleted()) {
                log.warn("Signing keys could not be synchronised: {}", error.toString());
              }
            });
  }

  /** Reads the keys; installs a new key when rotation is due, or drops keys past retention. */
  private CompletionStage<KeySet> sync() {
    return fetch()
        .thenCompose(
            keys -> {
              Instant now = Instant.now();
              if (rotationDue(keys, now)) {
                return generate().thenCompose(c -> install(ROTATION_CONTEXT, c, false));
              }
              if (dropDue(keys, now)) {
                return install(ROTATION_CONTEXT, null, false);
              }
              return CompletableFuture.completedFuture(keys);
            });
  }

  private boolean rotationDue(KeySet keys, Instant now) {
    return keys.current()
        .map(k -> !k.createdAt().plus(settings.rotateEvery()).isAfter(now))
        .orElse(true);
  }

  private boolean dropDue(KeySet keys, Instant now) {
    return keys.keys().stream()
        .anyMatch(
            k -> k.retired() && !k.retiredAt().plus(settings.retainRetired()).isAfter(now));
  }

  private CompletionStage<KeyEntry> generate() {
    return CompletableFuture.supplyAsync(
        () -> KeyGenerator.generate(settings.algorithm(), Instant.now()), crypto);
  }

  private CompletionStage<KeySet> fetch() {
    return entity()
        .<KeySet>ask(SigningKeys.GetKeys::new, askTimeout)
        .thenApply(this::apply);
  }

  private CompletionStage<KeySet> install(
      RequestContext context, KeyEntry candidate, boolean force) {
    return entity()
        .<KeySet>ask(
            replyTo ->
                new SigningKeys.Install(
                    context,
                    candidate,
                    Instant.now(),
                    settings.rotateEvery(),
                    settings.retainRetired(),
                    force,
                    replyTo),
            askTimeout)
        .thenApply(this::apply);
  }

  private KeySet apply(KeySet keys) {
    keyRing.update(keys);
    lastKeys = keys;
    if (keyRing.hasCurrent()) {
      ready.complete(Done.getInstance());
    }
    return keys;
  }

  private EntityRef<SigningKeys.Command> entity() {
    return Entities.ref(system, SigningKeys.KIND, SigningKeys.TENANT, SigningKeys.ID);
  }

  private static final class Id extends ExtensionId<KeyRingSync> {
    static final Id INSTANCE = new Id();

    @Override
    public KeyRingSync createExtension(ActorSystem<?> system) {
      return new KeyRingSync(system);
    }
  }
}
