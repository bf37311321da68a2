package dev.troupe.http.identity.browser;

import dev.troupe.http.context.Authenticated;
import dev.troupe.http.context.CredentialReader;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/** OWNED BY HELPER D. */
public final class CookieCredentials implements CredentialReader {

  public CookieCredentials(ActorSystem<?> system) {}

  @Override
  public Optional<CompletionStage<Authenticated>> read(HttpRequest request) {
    return Optional.empty(); // TODO helper D
  }
}
