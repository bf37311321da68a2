package dev.troupe.actors.identity.ticket;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.SessionEnds;
import dev.troupe.actors.identity.revocation.Revocations;
import dev.troupe.cluster.DirectStages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Single-use tickets for opening a WebSocket or an SSE stream where a browser cannot send a
 * header: {@link #issue} to an authenticated caller, {@link #redeem} once, on any node, within
 * {@code troupe.identity.tickets.ttl}. A ticket of a revoked session is refused.
 *
 * <p>A connection opened with a ticket lives at most until its session ends ({@code max-lifetime},
 * asked of the session when the ticket is issued) or, for an API key, until the key expires.
 *
 * <p>The ticket's entity is named by the ticket's SHA-256 (base64url), never by the ticket, so no
 * redeemable secret appears in actor paths or in the logs that print them. A revoked grant is
 * refused only while its revocation entry lives, so {@code ttl} must stay shorter than both
 * revocation windows (checked at startup).
 */
public final class Tickets implements Extension {

  /** A new ticket and how many seconds it stays redeemable. */
  public record Issued(String ticket, long expiresIn) {
    @Override
    public String toString() {
      return "Issued[expires in " + expiresIn + "s]";
    }
  }

  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ClusterSharding sharding;
  private final Revocations revocations;
  private final Duration ttl;
  private final Duration askTimeout;
  private final SessionEnds sessionEnds;
  private final Clock clock = Clock.systemUTC();

  private Tickets(ActorSystem<?> system) {
    Config config = system.settings().config();
    this.sharding = ClusterSharding.get(system);
    this.revocations = Revocations.get(system);
    this.ttl = config.getDuration("troupe.identity.tickets.ttl");
    this.askTimeout = config.getDuration("troupe.entities.ask-timeout");
    this.sessionEnds = new SessionEnds(system);
    checkTtl(config, ttl);
    sharding.init(Entity.of(Ticket.TYPE_KEY, context -> Ticket.create()));
  }

  public static Tickets get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * A ticket for the principal. {@code credentialExpiry} is when the credential that asked ends
   * (an API key's expiry), if known; a login session's end is asked of its session entity.
   */
  public CompletionStage<Issued> issue(Principal principal, Optional<Instant> credentialExpiry) {
    String ticket = newTicket();
    return connectionExpiry(principal, credentialExpiry)
        .thenCompose(
            expiry ->
                DirectStages.direct(
                    sharding
                        .entityRefFor(Ticket.TYPE_KEY, entityId(ticket))
                        .<Boolean>ask(
                            replyTo -> new Ticket.Issue(TicketGrant.of(principal, expiry), ttl, replyTo),
                            askTimeout)))
        .thenApply(
            stored -> {
              if (!stored) {
                throw new IllegalStateException("ticket collision");
              }
              return new Issued(ticket, ttl.toSeconds());
            });
  }

  /**
   * Spends a ticket: its grant the first time on any node, empty for a spent, expired, unknown or
   * malformed ticket and for one whose session was revoked.
   */
  public CompletionStage<Optional<TicketGrant>> redeem(String ticket) {
    if (ticket == null || !FORMAT.matcher(ticket).matches()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return DirectStages.direct(
            sharding
                .entityRefFor(Ticket.TYPE_KEY, entityId(ticket))
                .<Ticket.Redeemed>ask(Ticket.Redeem::new, askTimeout))
        .thenApply(
            redeemed ->
                redeemed
                    .grant()
                    .filter(grant -> !revocations.isRevoked(grant.sessionId()))
                    .filter(
                        grant ->
                            grant.connectionExpiresAt().map(at -> at.isAfter(clock.instant())).orElse(true)));
  }

  /** The earlier of the credential's end and the session's end (login sessions only). */
  private CompletionStage<Optional<Instant>> connectionExpiry(
      Principal principal, Optional<Instant> credentialExpiry) {
    return sessionEnds.of(principal).thenApply(sessionEnd -> SessionEnds.earlier(credentialExpiry, sessionEnd));
  }

  /**
   * Refuses (at startup) a ticket lifetime that is not shorter than the time a revocation entry
   * lives: a session's ({@code access-token-ttl}) and an API key's ({@code cache-ttl +
   * revocation-margin}). A ticket issued just before a revocation must not outlive its entry.
   */
  static void checkTtl(Config config, Duration ttl) {
    String path = "troupe.identity.tickets.ttl";
    if (ttl.isZero() || ttl.isNegative()) {
      throw new ConfigException.BadValue(path, "must be positive");
    }
    Duration sessions = config.getDuration("troupe.identity.tokens.access-token-ttl");
    if (ttl.compareTo(sessions) >= 0) {
      throw new ConfigException.BadValue(
          path, "must be shorter than troupe.identity.tokens.access-token-ttl (" + sessions + ")");
    }
    if (config.hasPath("troupe.identity.api-keys.cache-ttl")
        && config.hasPath("troupe.identity.api-keys.revocation-margin")) {
      Duration keys =
          config
              .getDuration("troupe.identity.api-keys.cache-ttl")
              .plus(config.getDuration("troupe.identity.api-keys.revocation-margin"));
      if (ttl.compareTo(keys) >= 0) {
        throw new ConfigException.BadValue(
            path, "must be shorter than troupe.identity.api-keys cache-ttl + revocation-margin (" + keys + ")");
      }
    }
  }

  /** The ticket's entity id: its SHA-256, base64url without padding (never the ticket itself). */
  static String entityId(String ticket) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(ticket.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private static String newTicket() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static final class Id extends ExtensionId<Tickets> {
    static final Id INSTANCE = new Id();

    @Override
    public Tickets createExtension(ActorSystem<?> system) {
      return new Tickets(system);
    }
  }
}
