package dev.troupe.actors.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsTest {

  private final Permissions permissions =
      Permissions.from(
          ConfigFactory.parseString(
              "troupe.identity.permissions { \"audit.read\" = [org-admin], \"cache.write\" = [org-admin], "
                  + "\"rooms.post\" = [project-user, project-admin], \"rooms.manage\" = [project-admin], "
                  + "\"guestbook.sign\" = [org-member] }"));

  private static Principal principal(String org, String... roles) {
    return new Principal("u", org, "sid", Set.of(roles));
  }

  @Test
  void aPermissionThatIsNotAListIsRefused() {
    assertThatThrownBy(
            () -> Permissions.from(ConfigFactory.parseString("troupe.identity.permissions { \"x.y\" = org-admin }")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.y");
  }

  @Test
  void orgMemberPermissionsAreOpenToEveryAccountOfTheOrg() {
    assertThat(permissions.allows(principal("acme"), "guestbook.sign")).isTrue();
    assertThat(permissions.allows(principal("acme"), "guestbook.sign", "web")).isTrue();
    assertThat(permissions.allows(principal("acme"), "audit.read")).isFalse();
  }

  @Test
  void aRoleGrantsOnlyWhatItLists() {
    Principal orgAdmin = principal("acme", "org-admin");

    assertThat(permissions.allows(orgAdmin, "audit.read")).isTrue();
    assertThat(permissions.allows(orgAdmin, "rooms.post")).isFalse();
    assertThat(permissions.allows(principal("acme"), "audit.read")).isFalse();
  }

  @Test
  void aPermissionNoRoleListsIsDeniedToAllButSysAdmins() {
    assertThat(permissions.allows(principal("acme", "org-admin", "project-admin:web"), "cluster.read")).isFalse();
    assertThat(permissions.allows(principal("system", "sys-admin"), "cluster.read")).isTrue();
    // The sys-admin role means nothing outside the system org.
    assertThat(permissions.allows(principal("acme", "sys-admin"), "cluster.read")).isFalse();
  }

  @Test
  void projectRolesGrantOnlyInTheirProjectAndOrgRolesInEvery() {
    Principal webUser = principal("acme", "project-user:web");

    assertThat(permissions.allows(webUser, "rooms.post", "web")).isTrue();
    assertThat(permissions.allows(webUser, "rooms.post", "mobile")).isFalse();
    assertThat(permissions.allows(webUser, "rooms.manage", "web")).isFalse();
    assertThat(permissions.allows(webUser, "rooms.post")).as("project roles never count org-wide").isFalse();
    assertThat(permissions.allows(principal("acme", "org-admin"), "cache.write", "any-project")).isTrue();
  }
}
