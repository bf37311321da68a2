package dev.troupe.bench.node;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.Roles;
import dev.troupe.http.context.Authenticator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Bench only: admits every request as the same principal without reading any header, so the
 * {@code auth} benchmark can measure a node "without the authenticator"
 * ({@code -Dtroupe.http.authenticator=dev.troupe.bench.node.FixedPrincipalAuthenticator}). Never
 * use it outside the bench: it lets anyone in.
 */
public final class FixedPrincipalAuthenticator implements Authenticator {

  /**
   * The principal every request gets; its username has the length of "admin". An org-admin of the
   * org {@code bench}, so it holds the permissions the cache routes ask for ({@code cache.read},
   * {@code cache.write}): the cache benchmarks' tenant is {@code bench}.
   */
  public static final Principal PRINCIPAL = new Principal("bench", "bench", "bench-fixed-session", Set.of(Roles.ORG_ADMIN));

  private static final CompletionStage<Principal> ADMITTED = CompletableFuture.completedStage(PRINCIPAL);

  @Override
  public CompletionStage<Principal> authenticate(HttpRequest request) {
    return ADMITTED;
  }
}
