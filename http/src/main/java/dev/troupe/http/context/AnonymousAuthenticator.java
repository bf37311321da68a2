package dev.troupe.http.context;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The authenticator until identity lands: every request is the anonymous principal in the {@code
 * default} tenant.
 */
public final class AnonymousAuthenticator implements Authenticator {

  private static final CompletionStage<Identity> ANONYMOUS =
      CompletableFuture.completedFuture(new Identity("anonymous", "default"));

  @Override
  public CompletionStage<Identity> authenticate(HttpRequest request) {
    return ANONYMOUS;
  }
}
