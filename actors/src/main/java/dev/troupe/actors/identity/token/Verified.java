package dev.troupe.actors.identity.token;

import dev.troupe.actors.identity.Principal;
import java.time.Instant;
import java.util.Objects;

/** A token that passed verification: who it speaks for and until when. */
public record Verified(Principal principal, Instant expiresAt) {

  public Verified {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
