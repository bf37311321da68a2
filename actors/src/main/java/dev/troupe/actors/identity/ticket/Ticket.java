package dev.troupe.actors.identity.ticket;

import dev.troupe.persistence.TroupeSerializable;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One single-use ticket, a sharded entity keyed by the SHA-256 of the ticket (256 random bits), so every
 * node redeems it at the same place. Kept in memory only: it holds its grant until it is redeemed
 * once or its lifetime ends, then stops. A stopped, lost (node crash) or never-issued ticket
 * starts empty and refuses every redemption, so the store fails closed.
 */
public final class Ticket {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "troupe-ws-ticket");

  /** What the entity understands. */
  public sealed interface Command extends TroupeSerializable {}

  /** Stores the grant for {@code ttl}; a ticket already holding one refuses (no overwrite). */
  public record Issue(TicketGrant grant, Duration ttl, ActorRef<Boolean> replyTo) implements Command {}

  /** Spends the ticket: the grant the first time, empty ever after. */
  public record Redeem(ActorRef<Redeemed> replyTo) implements Command {}

  /** The answer to {@link Redeem}. */
  public record Redeemed(Optional<TicketGrant> grant) implements TroupeSerializable {}

  private enum Expire implements Command {
    INSTANCE
  }

  private Ticket() {}

  public static Behavior<Command> create() {
    return empty();
  }

  private static Behavior<Command> empty() {
    return Behaviors.withTimers(
        timers ->
            Behaviors.receive(Command.class)
                .onMessage(
                    Issue.class,
                    issue -> {
                      timers.startSingleTimer(Expire.INSTANCE, issue.ttl());
                      issue.replyTo().tell(true);
                      return holding(issue.grant());
                    })
                .onMessage(Redeem.class, redeem -> refuse(redeem))
                .onMessageEquals(Expire.INSTANCE, Behaviors::stopped)
                .build());
  }

  private static Behavior<Command> holding(TicketGrant grant) {
    return Behaviors.receive(Command.class)
        .onMessage(
            Issue.class,
            issue -> {
              issue.replyTo().tell(false);
              return Behaviors.same();
            })
        .onMessage(
            Redeem.class,
            redeem -> {
              redeem.replyTo().tell(new Redeemed(Optional.of(grant)));
              return Behaviors.stopped();
            })
        .onMessageEquals(Expire.INSTANCE, Behaviors::stopped)
        .build();
  }

  private static Behavior<Command> refuse(Redeem redeem) {
    redeem.replyTo().tell(new Redeemed(Optional.empty()));
    return Behaviors.stopped();
  }
}
