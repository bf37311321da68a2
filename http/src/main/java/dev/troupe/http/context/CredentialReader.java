package dev.troupe.http.context;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * One kind of credential (API key, ticket, cookie). {@link RequestContexts} asks its readers in
 * order; the first that finds its credential on the request decides: its stage either yields the
 * {@link Authenticated} or fails with a {@code ProblemException}/{@code IdentityException} (401,
 * 403). A reader returns empty when the request does not carry its kind of credential, and must
 * not block.
 */
public interface CredentialReader {

  Optional<CompletionStage<Authenticated>> read(HttpRequest request);
}
