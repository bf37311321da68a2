package dev.troupe.bench.node;

import dev.troupe.actors.identity.Names;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.Roles;
import dev.troupe.http.context.Authenticator;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Bench only: takes the bearer token as the username, unverified, so the rooms benchmark's
 * thousands of WebSocket connections are distinct users of the org {@code bench} (as in a real
 * chat room, where presence counts users) without minting thousands of tokens.
 * {@code Authorization: Bearer u17} is user {@code u17}, an org-member (it may use rooms); a token
 * starting with {@code admin} is an org-admin (it may create rooms). No or a malformed header is
 * 401. Selected with {@code -Dtroupe.http.authenticator=dev.troupe.bench.node.BearerNameAuthenticator}.
 * Never use it outside the bench: it lets anyone in as anyone.
 */
public final class BearerNameAuthenticator implements Authenticator {

  /** The tenant of every principal. */
  public static final String ORG = FixedPrincipalAuthenticator.PRINCIPAL.org();

  private static final String PREFIX = "Bearer ";

  @Override
  public CompletionStage<Principal> authenticate(HttpRequest request) {
    String header = request.getHeader("Authorization").map(h -> h.value()).orElse("");
    String name = header.startsWith(PREFIX) ? header.substring(PREFIX.length()).trim() : "";
    if (!Names.valid(name)) {
      return CompletableFuture.failedStage(new ProblemException(ProblemCode.UNAUTHENTICATED, "bench: Authorization: Bearer <username>"));
    }
    // Org membership is implicit (never a role in a token); "admin..." is an org-admin.
    Set<String> roles = name.startsWith("admin") ? Set.of(Roles.ORG_ADMIN) : Set.of();
    return CompletableFuture.completedStage(new Principal(name, ORG, "bench-" + name, roles));
  }
}
