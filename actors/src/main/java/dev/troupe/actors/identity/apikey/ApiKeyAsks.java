package dev.troupe.actors.identity.apikey;

import dev.troupe.actors.entity.Entities;
import dev.troupe.actors.identity.IdentityAsks;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The entities behind API keys and how they are asked ({@link IdentityAsks}): an entity's refusal
 * becomes an {@code IdentityException}; a timeout stays a timeout (the routes answer it 503 with
 * {@code Retry-After}).
 */
final class ApiKeyAsks {

  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final IdentityAsks asks;

  ApiKeyAsks(ActorSystem<?> system) {
    this.system = system;
    this.asks = new IdentityAsks(system);
    this.askTimeout = system.settings().config().getDuration("troupe.entities.ask-timeout");
    Entities.init(system, KeyIndex.KIND);
    Entities.init(system, ProjectKeys.KIND);
    Entities.init(system, KeyIdSecret.KIND);
  }

  ActorSystem<?> system() {
    return system;
  }

  Duration askTimeout() {
    return askTimeout;
  }

  EntityRef<KeyIndex.Command> index(String keyId) {
    return Entities.ref(system, KeyIndex.KIND, KeyIndex.TENANT, keyId);
  }

  EntityRef<ProjectKeys.Command> project(String org, String project) {
    return Entities.ref(system, ProjectKeys.KIND, org, project);
  }

  EntityRef<KeyIdSecret.Command> idSecret() {
    return Entities.ref(system, KeyIdSecret.KIND, KeyIdSecret.TENANT, KeyIdSecret.ID);
  }

  <C, R> CompletionStage<R> askStatus(EntityRef<C> entity, Function<ActorRef<StatusReply<R>>, C> command) {
    return asks.askStatus(entity, command);
  }

  <C, R> CompletionStage<R> ask(EntityRef<C> entity, Function<ActorRef<R>, C> command) {
    return asks.ask(entity, command);
  }
}
