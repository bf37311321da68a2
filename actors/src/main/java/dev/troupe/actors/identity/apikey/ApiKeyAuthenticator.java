package dev.troupe.actors.identity.apikey;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.revocation.Revocations;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Authenticates a presented API key. A key whose id does not carry the cluster's MAC is refused
 * before any lookup ({@link ApiKeyFormat#parse}). A verified key costs no ask while it is cached
 * ({@code cache-ttl}): the presented key's SHA-256 is compared in constant time with the stored
 * one, expiry is checked against the clock, and the cluster's {@link Revocations} set ({@code
 * apikey:<id>}) is read on every request, so a revoked key is refused at once on every node. Use
 * is told to the key's project at most once per {@code touch-interval} per node.
 */
public final class ApiKeyAuthenticator {

  /** A verified key: who it acts as, and when it expires (null: never). */
  public record Verified(Principal principal, Instant expiresAt) {}

  /** A key found by its id, with the principal it acts as. */
  private record Entry(String org, String project, StoredKey key, Principal principal) {}

  private final ApiKeyAsks asks;
  private final KeyIdSecrets secrets;
  private final ApiKeySettings settings;
  private final Clock clock;
  private final Revocations revocations;
  private final AsyncCache<String, Optional<Entry>> keys;
  private final Cache<String, Boolean> touched;

  ApiKeyAuthenticator(ApiKeyAsks asks, KeyIdSecrets secrets, ApiKeySettings settings, Clock clock) {
    this.asks = asks;
    this.secrets = secrets;
    this.settings = settings;
    this.clock = clock;
    this.revocations = Revocations.get(asks.system());
    this.keys =
        Caffeine.newBuilder().expireAfterWrite(settings.cacheTtl()).maximumSize(settings.cacheSize()).buildAsync();
    this.touched =
        Caffeine.newBuilder().expireAfterWrite(settings.touchInterval()).maximumSize(settings.cacheSize()).build();
  }

  /**
   * The key's principal, or a stage failed with {@link IdentityException#unauthenticated()} for a
   * malformed, forged, unknown, revoked or expired key (the same refusal for all). A lookup that
   * times out fails with the timeout (503), not a refusal.
   */
  public CompletionStage<Verified> authenticate(String presentedKey) {
    if (!ApiKeyFormat.wellFormed(presentedKey)) {
      return CompletableFuture.failedFuture(IdentityException.unauthenticated());
    }
    return secrets.get().thenCompose(secret -> authenticate(presentedKey, secret));
  }

  private CompletionStage<Verified> authenticate(String presentedKey, byte[] secret) {
    Optional<ApiKeyFormat.Presented> parsed = ApiKeyFormat.parse(presentedKey, secret);
    if (parsed.isEmpty()) {
      return CompletableFuture.failedFuture(IdentityException.unauthenticated());
    }
    String id = parsed.get().id();
    if (revocations.isRevoked(ApiKeys.sessionIdOf(id))) {
      return CompletableFuture.failedFuture(IdentityException.unauthenticated());
    }
    return keys.get(id, (keyId, executor) -> load(keyId)).thenApply(entry -> verified(entry, parsed.get()));
  }

  /** Drops a key from this node's cache (it was revoked here). */
  void forget(String keyId) {
    keys.synchronous().invalidate(keyId);
  }

  private Verified verified(Optional<Entry> found, ApiKeyFormat.Presented presented) {
    Instant now = clock.instant();
    if (found.isEmpty()
        || !ApiKeyFormat.matches(presented.key(), found.get().key().hash())
        || found.get().key().revoked()
        || found.get().key().expired(now)
        || revocations.isRevoked(ApiKeys.sessionIdOf(presented.id()))) {
      throw IdentityException.unauthenticated();
    }
    Entry entry = found.get();
    if (touched.asMap().putIfAbsent(presented.id(), Boolean.TRUE) == null) {
      asks.project(entry.org(), entry.project())
          .tell(new ProjectKeys.Touch(presented.id(), now, settings.touchInterval()));
    }
    return new Verified(entry.principal(), entry.key().expiresAt());
  }

  private CompletableFuture<Optional<Entry>> load(String keyId) {
    return asks.<KeyIndex.Command, KeyIndex.State>ask(asks.index(keyId), KeyIndex.Locate::new)
        .thenCompose(
            place -> {
              if (!place.exists()) {
                return CompletableFuture.completedFuture(Optional.<Entry>empty());
              }
              return asks.<ProjectKeys.Command, ProjectKeys.Found>ask(
                      asks.project(place.org(), place.project()), reply -> new ProjectKeys.Lookup(keyId, reply))
                  .thenApply(found -> Optional.ofNullable(found.key()).map(key -> entry(place, key)));
            })
        .toCompletableFuture();
  }

  private static Entry entry(KeyIndex.State place, StoredKey key) {
    Principal principal =
        new Principal(
            ApiKeys.usernameOf(key.id()),
            place.org(),
            ApiKeys.sessionIdOf(key.id()),
            Set.copyOf(key.roles()),
            key.scopes().scopes());
    return new Entry(place.org(), place.project(), key, principal);
  }
}
