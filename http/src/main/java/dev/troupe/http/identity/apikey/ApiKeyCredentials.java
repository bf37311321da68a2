package dev.troupe.http.identity.apikey;

import dev.troupe.actors.identity.IdentityException;
import dev.troupe.actors.identity.apikey.ApiKeyAuthenticator;
import dev.troupe.actors.identity.apikey.ApiKeys;
import dev.troupe.http.context.AuthMethod;
import dev.troupe.http.context.Authenticated;
import dev.troupe.http.context.CredentialReader;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Authorization;

/**
 * {@code Authorization: ApiKey trp_<id>_<secret>}: claims every request whose Authorization
 * scheme is {@code ApiKey} (case-insensitive) and leaves all others alone. A malformed, unknown,
 * forged, revoked or expired key is one and the same 401. The key's route scopes are checked by
 * {@code RequestContexts}, for every kind of credential, before any route runs.
 */
public final class ApiKeyCredentials implements CredentialReader {

  /** The Authorization scheme. */
  public static final String SCHEME = "ApiKey";

  /** Longer header values are refused without parsing. */
  private static final int MAX_HEADER_LENGTH = 256;

  private final ApiKeyAuthenticator keys;

  public ApiKeyCredentials(ActorSystem<?> system) {
    this.keys = ApiKeys.get(system).authenticator();
  }

  @Override
  public Optional<CompletionStage<Authenticated>> read(HttpRequest request) {
    Optional<String> value = request.getHeader(Authorization.class).map(h -> h.value());
    if (value.isEmpty() || !hasScheme(value.get())) {
      return Optional.empty();
    }
    String header = value.get();
    if (header.length() > MAX_HEADER_LENGTH) {
      return Optional.of(CompletableFuture.failedFuture(IdentityException.unauthenticated()));
    }
    String key = header.substring(SCHEME.length()).strip();
    return Optional.of(
        keys.authenticate(key)
            .thenApply(
                verified ->
                    new Authenticated(
                        verified.principal(), AuthMethod.API_KEY, Optional.ofNullable(verified.expiresAt()))));
  }

  private static boolean hasScheme(String header) {
    return header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        && (header.length() == SCHEME.length() || header.charAt(SCHEME.length()) == ' ');
  }
}
