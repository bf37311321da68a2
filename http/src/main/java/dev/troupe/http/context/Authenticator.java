package dev.troupe.http.context;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Decides who sends a request and for which tenant. One instance serves every request of a node;
 * it must not block (return a stage that completes later instead).
 *
 * <p>Name the implementation in {@code troupe.http.authenticator}; it needs a public constructor
 * taking an {@code ActorSystem<?>} or none. A request it refuses fails the stage with a {@code
 * ProblemException} (401 or 403).
 */
public interface Authenticator {

  /** Who a request comes from. */
  record Identity(String principal, String tenant) {}

  CompletionStage<Identity> authenticate(HttpRequest request);
}
