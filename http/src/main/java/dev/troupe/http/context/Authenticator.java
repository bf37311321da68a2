package dev.troupe.http.context;

import dev.troupe.actors.identity.Principal;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Decides who sends a request. One instance serves every request of a node; it must not block
 * (return a stage that completes later instead).
 *
 * <p>The default is {@link dev.troupe.http.identity.TokenAuthenticator} (bearer JWTs). Name another
 * implementation in {@code troupe.http.authenticator}; it needs a public constructor taking an
 * {@code ActorSystem<?>} or none. A request it refuses fails the stage with a {@code
 * ProblemException} or an {@code IdentityException} (401).
 */
public interface Authenticator {

  CompletionStage<Principal> authenticate(HttpRequest request);
}
