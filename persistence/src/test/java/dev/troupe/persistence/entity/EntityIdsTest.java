package dev.troupe.persistence.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EntityIdsTest {

  @Test
  void scopesIdsByTenant() {
    String scoped = EntityIds.scoped("acme", "order-1");

    assertThat(scoped).isEqualTo("acme:order-1");
    assertThat(EntityIds.tenantOf(scoped)).isEqualTo("acme");
    assertThat(EntityIds.localIdOf(scoped)).isEqualTo("order-1");
    assertThat(EntityIds.persistenceId("orders", scoped)).isEqualTo("orders|acme:order-1");
  }

  @Test
  void theSameIdInTwoTenantsNamesTwoEntities() {
    assertThat(EntityIds.scoped("a", "x")).isNotEqualTo(EntityIds.scoped("b", "x"));
  }

  @Test
  void rejectsIdsThatCouldEscapeTheirTenantOrGrowUnbounded() {
    assertThatThrownBy(() -> EntityIds.scoped("acme", "a:b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EntityIds.scoped("acme", "a|b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EntityIds.scoped("acme", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EntityIds.scoped("acme", "x".repeat(EntityIds.MAX_PART_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EntityIds.scoped("ac/me", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(EntityIds.scoped("acme", "x".repeat(EntityIds.MAX_PART_LENGTH))).isNotEmpty();
  }
}
