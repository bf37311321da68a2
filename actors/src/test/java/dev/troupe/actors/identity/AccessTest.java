package dev.troupe.actors.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {

  private static Principal principal(String org, String user, String... roles) {
    return new Principal(user, org, "sid", Set.of(roles));
  }

  private final Principal sysAdmin = principal("system", "root", "sys-admin");
  private final Principal acmeAdmin = principal("acme", "boss", "org-admin");
  private final Principal webAdmin = principal("acme", "ann", "project-admin:web");
  private final Principal webUser = principal("acme", "bob", "project-user:web");

  @Test
  void onlySysAdminsCreateOrgs() {
    assertThat(Access.canCreateOrg(sysAdmin)).isTrue();
    assertThat(Access.canCreateOrg(acmeAdmin)).isFalse();
  }

  @Test
  void anotherOrgIsInvisibleAsNotFound() {
    assertThat(Access.canSee(webUser, "acme")).isTrue();
    assertThat(Access.canSee(acmeAdmin, "globex")).isFalse();
    assertThat(Access.canSee(sysAdmin, "globex")).isTrue();
    assertThatThrownBy(() -> Access.requireVisible(acmeAdmin, "globex"))
        .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> Access.requireVisible(sysAdmin, "Not A Name"))
        .isInstanceOf(IdentityException.class);
  }

  @Test
  void membersAreManagedByOrgAdminsAndTheProjectsAdminsOnly() {
    assertThat(Access.canManageMembers(acmeAdmin, "acme", "web")).isTrue();
    assertThat(Access.canManageMembers(webAdmin, "acme", "web")).isTrue();
    assertThat(Access.canManageMembers(webAdmin, "acme", "mobile")).isFalse();
    assertThat(Access.canManageMembers(webUser, "acme", "web")).isFalse();
    assertThat(Access.canManageMembers(principal("globex", "eve", "org-admin"), "acme", "web")).isFalse();
  }

  @Test
  void accountsAreReadByTheirOwnerAndOrgAdmins() {
    assertThat(Access.canReadUser(webUser, "acme", "bob")).isTrue();
    assertThat(Access.canReadUser(webUser, "acme", "ann")).isFalse();
    assertThat(Access.canReadUser(acmeAdmin, "acme", "ann")).isTrue();
  }
}
