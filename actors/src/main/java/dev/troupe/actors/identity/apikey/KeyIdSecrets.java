package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.identity.Names;
import dev.troupe.persistence.audit.RequestContext;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's copy of the cluster's key id secret ({@link KeyIdSecret}): asked once, then kept
 * for the node's life. At most one ask is in flight; a failed ask is retried by the next caller.
 */
final class KeyIdSecrets {

  private static final RequestContext CONTEXT = new RequestContext("api-key-secret", "system", Names.SYSTEM_ORG);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiKeyAsks asks;
  private final AtomicReference<CompletableFuture<byte[]>> secret = new AtomicReference<>();

  KeyIdSecrets(ApiKeyAsks asks) {
    this.asks = asks;
  }

  /** The secret; completed at once after the first successful ask. */
  CompletionStage<byte[]> get() {
    while (true) {
      CompletableFuture<byte[]> current = secret.get();
      if (current != null && !current.isCompletedExceptionally()) {
        return current;
      }
      CompletableFuture<byte[]> fresh = new CompletableFuture<>();
      if (secret.compareAndSet(current, fresh)) {
        byte[] candidate = new byte[32];
        RANDOM.nextBytes(candidate);
        String encoded = Base64.getEncoder().encodeToString(candidate);
        asks.<KeyIdSecret.Command, KeyIdSecret.Answer>ask(
                asks.idSecret(), reply -> new KeyIdSecret.Get(CONTEXT, encoded, reply))
            .whenComplete(
                (answer, failure) -> {
                  if (failure != null) {
                    fresh.completeExceptionally(failure);
                  } else {
                    fresh.complete(Base64.getDecoder().decode(answer.secret()));
                  }
                });
        return fresh;
      }
    }
  }
}
