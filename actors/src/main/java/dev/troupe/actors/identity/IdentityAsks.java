package dev.troupe.actors.identity;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.entity.EntityKind;
import dev.troupe.cluster.DirectStages;
import dev.troupe.cluster.StageFailures;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Asks identity entities with the configured timeout and turns their refusals into {@link
 * IdentityException}s, so services compose plain stages. Public for the identity subpackages
 * (API keys).
 */
public final class IdentityAsks {

  private final ActorSystem<?> system;
  private final Duration timeout;

  public IdentityAsks(ActorSystem<?> system) {
    this.system = system;
    this.timeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
  }

  ActorSystem<?> system() {
    return system;
  }

  <C> EntityRef<C> ref(EntityKind<C, ?, ?> kind, String tenant, String id) {
    return Entities.ref(system, kind, tenant, id);
  }

  /** Asks and unwraps a {@link StatusReply}; an error reply fails with an IdentityException. */
  public <C, R> CompletionStage<R> askStatus(EntityRef<C> entity, Function<ActorRef<StatusReply<R>>, C> command) {
    return DirectStages.direct(entity.<R>askWithStatus(command::apply, timeout))
        .exceptionally(
            e -> {
              Throwable cause = StageFailures.unwrap(e);
              if (cause instanceof StatusReply.ErrorMessage error) {
                throw IdentityException.fromEntityError(error.getMessage());
              }
              throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
            });
  }

  /** Asks for a plain reply. */
  public <C, R> CompletionStage<R> ask(EntityRef<C> entity, Function<ActorRef<R>, C> command) {
    return DirectStages.direct(entity.ask(command::apply, timeout));
  }
}
