package dev.troupe.actors.identity;

import java.util.Objects;
import java.util.Set;

/** An account to create: name, initial password and org-wide roles (only {@code org-admin}). */
public record NewAccount(String username, String password, Set<String> roles) {

  public NewAccount {
    if (roles != null && roles.stream().anyMatch(Objects::isNull)) {
      throw IdentityException.invalid("roles must not contain null");
    }
    roles = roles == null ? Set.of() : Set.copyOf(roles);
  }

  @Override
  public String toString() {
    return "NewAccount[" + username + ", roles " + roles + "]";
  }
}
