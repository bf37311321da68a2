package dev.troupe.http.identity.apikey;

import dev.troupe.http.context.Authenticated;
import dev.troupe.http.context.CredentialReader;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/** {@code Authorization: ApiKey trp_...}. OWNED BY HELPER C. */
public final class ApiKeyCredentials implements CredentialReader {

  public ApiKeyCredentials(ActorSystem<?> system) {}

  @Override
  public Optional<CompletionStage<Authenticated>> read(HttpRequest request) {
    return Optional.empty(); // TODO helper C
  }
}
