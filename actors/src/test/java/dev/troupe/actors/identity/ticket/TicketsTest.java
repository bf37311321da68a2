package dev.troupe.actors.identity.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@link Tickets} checks and derives without a cluster. */
class TicketsTest {

  private static Config windows(String accessTokenTtl, String cacheTtl, String margin) {
    return ConfigFactory.parseString(
        "troupe.identity.tokens.access-token-ttl = " + accessTokenTtl + "\n"
            + "troupe.identity.api-keys.cache-ttl = " + cacheTtl + "\n"
            + "troupe.identity.api-keys.revocation-margin = " + margin + "\n");
  }

  @Test
  void theDefaultTicketLifetimeIsShorterThanBothRevocationWindows() {
    Config defaults = ConfigFactory.load();
    Tickets.checkTtl(defaults, defaults.getDuration("troupe.identity.tickets.ttl"));
  }

  @Test
  void aTicketLifetimeNotShorterThanARevocationWindowIsRefusedAtStartup() {
    assertThatThrownBy(() -> Tickets.checkTtl(windows("20s", "5s", "30s"), Duration.ofSeconds(30)))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("access-token-ttl");
    assertThatThrownBy(() -> Tickets.checkTtl(windows("5m", "5s", "10s"), Duration.ofSeconds(15)))
        .isInstanceOf(ConfigException.BadValue.class)
        .hasMessageContaining("revocation-margin");
    assertThatThrownBy(() -> Tickets.checkTtl(windows("5m", "5s", "30s"), Duration.ZERO))
        .isInstanceOf(ConfigException.BadValue.class);
    Tickets.checkTtl(windows("5m", "5s", "30s"), Duration.ofSeconds(34));
  }

  @Test
  void theEntityIdIsTheTicketsHashNeverTheTicket() {
    String ticket = "q".repeat(43);
    String id = Tickets.entityId(ticket);
    assertThat(id).isNotEqualTo(ticket).doesNotContain(ticket).matches("[A-Za-z0-9_-]{43}");
    assertThat(Tickets.entityId(ticket)).isEqualTo(id);
    assertThat(Tickets.entityId("r".repeat(43))).isNotEqualTo(id);
    // SHA-256("") in base64url, so the id is the plain digest.
    assertThat(Tickets.entityId("")).isEqualTo("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  }
}
