package dev.troupe.persistence.audit;

import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The one place that turns a {@link RequestContext} into an {@link AuditRecord}: it adds the node
 * name and the time. Entities call it from their command handlers.
 */
public final class Auditor implements Extension {

  private final String node;
  private volatile Clock clock;

  private Auditor(ActorSystem<?> system) {
    String configured = system.settings().config().getString("troupe.node-name");
    this.node =
        configured.isEmpty() ? system.address().hostPort() : configured;
    this.clock = Clock.systemUTC();
  }

  public static Auditor get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** The audit record for an event caused now by the given request. */
  public AuditRecord record(RequestContext context) {
    return new AuditRecord(
        context.principal(), context.tenant(), context.requestId(), node, clock.instant());
  }

  public String node() {
    return node;
  }

  /** Tests that check time-based audit queries set a controllable clock here. */
  public void useClock(Clock clock) {
    this.clock = clock;
  }

  private static final class Id extends ExtensionId<Auditor> {
    static final Id INSTANCE = new Id();

    @Override
    public Auditor createExtension(ActorSystem<?> system) {
      return new Auditor(system);
    }
  }
}
