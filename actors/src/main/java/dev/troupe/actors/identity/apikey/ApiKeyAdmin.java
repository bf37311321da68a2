package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.identity.Access;
import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.Names;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.org.Org;
import dev.troupe.actors.identity.revocation.Revocations;
import dev.troupe.cluster.StageFailures;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating, listing and revoking a project's API keys, with the rules of {@link ApiKeyRules}.
 *
 * <p>A key is created in its project first (which applies the per-project limit and drops old
 * revoked keys), then registered in the id index; if registering fails the key is revoked again,
 * so a refused or failed create leaves no index entry without a key and no usable key without an
 * index entry.
 */
public final class ApiKeyAdmin {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyAdmin.class);

  private final ApiKeyAsks asks;
  private final KeyIdSecrets secrets;
  private final ApiKeySettings settings;
  private final Clock clock;
  private final ApiKeyAuthenticator authenticator;
  private final Revocations revocations;

  ApiKeyAdmin(
      ApiKeyAsks asks, KeyIdSecrets secrets, ApiKeySettings settings, Clock clock, ApiKeyAuthenticator authenticator) {
    this.asks = asks;
    this.secrets = secrets;
    this.settings = settings;
    this.clock = clock;
    this.authenticator = authenticator;
    this.revocations = Revocations.get(asks.system());
  }

  /** Creates a key in the project; the answer carries the key, which is never shown again. */
  public CompletionStage<CreatedKey> create(
      Principal principal, String requestId, String org, String project, NewApiKey request) {
    try {
      checkManager(principal, org, project);
      Optional<String> invalid = ApiKeyRules.invalid(request, project, settings);
      if (invalid.isPresent()) {
        throw IdentityException.invalid(invalid.get());
      }
      List<String> roles = ApiKeyRules.roles(request, project);
      List<String> beyond = ApiKeyRules.beyondCreator(principal, org, roles);
      if (!beyond.isEmpty()) {
        throw IdentityException.forbidden("an api key cannot get roles its creator does not hold: " + beyond);
      }
      RequestContext context = principal.context(requestId);
      return projectExists(org, project)
          .thenCompose(ok -> secrets.get())
          .thenCompose(
              secret -> {
                ApiKeyFormat.Generated generated = ApiKeyFormat.generate(secret);
                Instant now = clock.instant();
                Instant expiresAt = request.expiresIn() == null ? null : now.plusSeconds(request.expiresIn());
                StoredKey stored =
                    new StoredKey(
                        generated.id(),
                        request.name().strip(),
                        ApiKeyFormat.hash(generated.key()),
                        roles,
                        request.scopes(),
                        principal.username() + "@" + principal.org(),
                        now,
                        expiresAt,
                        null,
                        null);
                ProjectKeys.Limits limits =
                    new ProjectKeys.Limits(
                        settings.maxKeysPerProject(), settings.revokedRetention(), settings.maxRevokedKept());
                return asks.<ProjectKeys.Command, StoredKey>askStatus(
                        asks.project(org, project), reply -> new ProjectKeys.Create(context, stored, limits, reply))
                    .thenCompose(key -> register(context, org, project, key))
                    .thenApply(key -> new CreatedKey(key, generated.key()));
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Registers a created key in the id index, revoking it again when that fails. */
  private CompletionStage<StoredKey> register(RequestContext context, String org, String project, StoredKey key) {
    return asks.<KeyIndex.Command, Done>askStatus(
            asks.index(key.id()), reply -> new KeyIndex.Register(context, org, project, reply))
        .handle(
            (done, failure) ->
                failure == null
                    ? CompletableFuture.completedFuture(key)
                    : unregistered(context, org, project, key, StageFailures.unwrap(failure)))
        .thenCompose(stage -> stage);
  }

  /** Revokes a key that could not be indexed (no one has seen it), then fails with the cause. */
  private CompletionStage<StoredKey> unregistered(
      RequestContext context, String org, String project, StoredKey key, Throwable cause) {
    log.warn("api key {} of {}/{} could not be indexed; revoking it: {}", key.id(), org, project, cause.toString());
    CompletableFuture<StoredKey> result = new CompletableFuture<>();
    asks.<ProjectKeys.Command, StoredKey>askStatus(
            asks.project(org, project), reply -> new ProjectKeys.Revoke(context, key.id(), clock.instant(), reply))
        .whenComplete((revoked, e) -> result.completeExceptionally(cause));
    return result;
  }

  /** The project's keys, oldest first (their hashes never leave the node's routes). */
  public CompletionStage<List<StoredKey>> list(Principal principal, String org, String project) {
    try {
      checkManager(principal, org, project);
      return projectExists(org, project)
          .thenCompose(
              ok ->
                  asks.<ProjectKeys.Command, ProjectKeys.KeyList>ask(
                      asks.project(org, project), ProjectKeys.ListKeys::new))
          .thenApply(ProjectKeys.KeyList::keys);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Revokes a key (idempotent): recorded by its project, then refused at once on this node and,
   * within moments, on every node through the revocation set.
   */
  public CompletionStage<Done> revoke(Principal principal, String requestId, String org, String project, String keyId) {
    try {
      checkManager(principal, org, project);
      if (!ApiKeyFormat.validId(keyId)) {
        throw IdentityException.notFound("api key");
      }
      RequestContext context = principal.context(requestId);
      return asks.<ProjectKeys.Command, StoredKey>askStatus(
              asks.project(org, project), reply -> new ProjectKeys.Revoke(context, keyId, clock.instant(), reply))
          .thenCompose(
              key -> {
                authenticator.forget(keyId);
                Instant until =
                    clock.instant().plus(settings.cacheTtl()).plus(settings.revocationMargin()).plus(asks.askTimeout());
                return revocations
                    .revoke(ApiKeys.sessionIdOf(keyId), until)
                    .exceptionally(
                        e -> {
                          // This node refuses the key already; the entry still spreads by gossip.
                          log.warn("revocation of api key {} not confirmed by a majority yet: {}", keyId, e.toString());
                          return Done.getInstance();
                        });
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static void checkManager(Principal principal, String org, String project) {
    Access.requireVisible(principal, org);
    if (!ApiKeyRules.mayManage(principal, org, project)) {
      throw IdentityException.forbidden(
          principal.scopes().restricted()
              ? "an api key cannot manage api keys"
              : "only the project's admins and org-admins manage its api keys");
    }
    if (!Names.valid(project)) {
      throw IdentityException.notFound("project");
    }
  }

  private CompletionStage<Org.View> projectExists(String org, String project) {
    return asks.<Org.Command, Org.View>askStatus(Entities.ref(asks.system(), Org.KIND, org, org), Org.Get::new)
        .thenApply(
            view -> {
              if (!view.projects().contains(project)) {
                throw IdentityException.notFound("project");
              }
              return view;
            });
  }
}
