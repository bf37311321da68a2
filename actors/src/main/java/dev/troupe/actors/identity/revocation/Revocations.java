package dev.troupe.actors.identity.revocation;

import dev.troupe.cluster.DirectStages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revoked sessions, known to every node within moments: a Distributed Data {@code LWWMap} from
 * session id to the time (epoch millis) until which the revocation matters, the latest expiry
 * any access token of that session can have. After that the token's own expiry refuses it, so
 * the entry is pruned and the map stays small.
 *
 * <p>{@link #isRevoked} reads a local snapshot (no ask, no lock) fed by a Replicator
 * subscription; {@link #revoke} updates the snapshot at once and writes to all nodes, falling
 * back to a majority when some node does not answer within {@code write-timeout}.
 *
 * <p>Needs a cluster actor provider.
 */
public final class Revocations implements Extension {

  /** The Distributed Data key of the map. */
  public static final String KEY = "troupe-revoked-sessions";

  /** Longest session id accepted. */
  public static final int MAX_SESSION_ID_LENGTH = 128;

  private static final Logger log = LoggerFactory.getLogger(Revocations.class);

  private final ActorSystem<?> system;
  private final RevocationSettings settings;
  private final Clock clock;
  private final ActorRef<RevocationReplicator.Command> replicator;

  /** What the replicator last told us. */
  private volatile Map<String, Long> replicated = Map.of();

  /** Our own writes not yet seen in {@link #replicated}. */
  private final ConcurrentHashMap<String, Long> pending = new ConcurrentHashMap<>();

  /** The union of both, read by {@link #isRevoked}. */
  private volatile Map<String, Long> snapshot = Map.of();

  /** Told the ids that became revoked (see {@link #onNewlyRevoked}). */
  private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();

  private Revocations(ActorSystem<?> system) {
    this.system = system;
    this.settings = RevocationSettings.from(system.settings().config());
    this.clock = Clock.systemUTC();
    this.replicator =
        system.systemActorOf(
            RevocationReplicator.create(settings, clock, this::onReplicated),
            "troupe-revocations",
            Props.empty());
  }

  public static Revocations get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * Revokes a session until the given time (the latest expiry of any of its access tokens). This
   * node refuses its tokens at once; the returned stage completes when all nodes (or, after
   * {@code write-timeout}, a majority) have the entry, and fails if not even a majority confirmed
   * (the entry still spreads by gossip).
   */
  public CompletionStage<Done> revoke(String sessionId, Instant until) {
    if (sessionId == null || sessionId.isEmpty() || sessionId.length() > MAX_SESSION_ID_LENGTH) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("invalid session id"));
    }
    long untilMillis = until.toEpochMilli();
    if (untilMillis <= clock.millis()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    if (!snapshot.containsKey(sessionId) && snapshot.size() >= settings.maxEntries()) {
      // Never refuse a revocation (that would fail open); say that something is abusing logins.
      log.warn(
          "{} sessions are revoked at once (troupe.identity.revocation.max-entries); revoking anyway",
          snapshot.size());
    }
    pending.merge(sessionId, untilMillis, Math::max);
    publish();
    Duration timeout = settings.writeTimeout().multipliedBy(2).plusSeconds(1);
    return DirectStages.direct(
            AskPattern.<RevocationReplicator.Command, StatusReply<Done>>ask(
                replicator,
                replyTo -> new RevocationReplicator.Revoke(sessionId, untilMillis, replyTo),
                timeout,
                system.scheduler()))
        .thenApply(StatusReply::getValue);
  }

  /** Whether the session is revoked now, from this node's snapshot. */
  public boolean isRevoked(String sessionId) {
    if (sessionId == null) {
      return false;
    }
    Long until = snapshot.get(sessionId);
    return until != null && until > clock.millis();
  }

  /**
   * Calls the listener with the session ids that became revoked on this node: at once for a
   * revocation made here, and as soon as the replicator tells this node of one made elsewhere
   * (within its notify interval). Live connections use it to close themselves. The listener runs
   * on the thread that published the change and must not block; it may see an id again when its
   * revocation is extended.
   */
  public void onNewlyRevoked(Consumer<Set<String>> listener) {
    listeners.add(listener);
  }

  /** The entries the replicator has delivered to this node so far (for tests: the echo of a write). */
  Map<String, Long> replicatedEntries() {
    return replicated;
  }

  /** The entries this node knows (session id to epoch millis), including expired ones not yet pruned. */
  Map<String, Long> entries() {
    return snapshot;
  }

  private void onReplicated(Map<String, Long> entries) {
    replicated = Map.copyOf(entries);
    long now = clock.millis();
    pending.entrySet().removeIf(e -> e.getValue() <= now || replicatedCovers(e.getKey(), e.getValue()));
    publish();
  }

  private boolean replicatedCovers(String sessionId, long until) {
    Long known = replicated.get(sessionId);
    return known != null && known >= until;
  }

  private void publish() {
    Set<String> added = merge();
    if (added.isEmpty()) {
      return;
    }
    for (Consumer<Set<String>> listener : listeners) {
      try {
        listener.accept(added);
      } catch (RuntimeException e) {
        log.warn("a revocation listener failed", e);
      }
    }
  }

  /** Rebuilds the snapshot; answers the ids that were not revoked before and are now. */
  private synchronized Set<String> merge() {
    Map<String, Long> previous = snapshot;
    Map<String, Long> merged = new HashMap<>(replicated);
    pending.forEach((id, until) -> merged.merge(id, until, Math::max));
    snapshot = Map.copyOf(merged);
    if (listeners.isEmpty()) {
      return Set.of();
    }
    long now = clock.millis();
    Set<String> added = new HashSet<>();
    merged.forEach(
        (id, until) -> {
          Long before = previous.get(id);
          if (until > now && (before == null || before <= now)) {
            added.add(id);
          }
        });
    return added;
  }

  private static final class Id extends ExtensionId<Revocations> {
    static final Id INSTANCE = new Id();

    @Override
    public Revocations createExtension(ActorSystem<?> system) {
      return new Revocations(system);
    }
  }
}
