package dev.troupe.actors.identity.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SortedNamesTest {

  @Test
  void keepsNamesSortedAndDistinct() {
    SortedNames names = SortedNames.of(List.of("carol", "alice", "bob", "alice"));

    assertThat(List.copyOf(names)).containsExactly("alice", "bob", "carol");
    assertThat(names.with("bea")).containsExactly("alice", "bea", "bob", "carol");
    assertThat(names.with("bob")).isSameAs(names);
    assertThat(names.with("zed")).containsExactly("alice", "bob", "carol", "zed");
    assertThat(SortedNames.empty().with("a")).containsExactly("a");
  }

  @Test
  void looksUpAndComparesLikeAnySet() {
    SortedNames names = SortedNames.of(Set.of("b", "a"));

    assertThat(names.contains("a")).isTrue();
    assertThat(names.contains("c")).isFalse();
    assertThat(names.contains(42)).isFalse();
    assertThat(names).isEqualTo(Set.of("a", "b"));
    assertThat(names.hashCode()).isEqualTo(Set.of("a", "b").hashCode());
  }

  @Test
  void isImmutable() {
    SortedNames names = SortedNames.of(List.of("a"));

    assertThatThrownBy(() -> names.add("b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> names.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> names.iterator().remove())
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(names::clear).isInstanceOf(UnsupportedOperationException.class);
  }
}
