package dev.troupe.actors.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Namespace, key, tag, value and content type checks. */
class CacheKeysTest {

  @Test
  void namespacesFollowTheNamePattern() {
    assertThat(CacheKeys.namespace("sessions")).isEqualTo("sessions");
    assertThat(CacheKeys.namespace("a.b_c-1")).isEqualTo("a.b_c-1");
    assertThat(CacheKeys.namespace("x".repeat(63))).hasSize(63);

    assertKind(() -> CacheKeys.namespace(null), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.namespace(""), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.namespace("Upper"), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.namespace("-leading"), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.namespace("has~tilde"), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.namespace("has space"), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.namespace("x".repeat(64)), CacheException.Kind.INVALID);
  }

  @Test
  void keysAreOneToMaxUtf8Bytes() {
    assertThat(CacheKeys.key("a", 256)).isEqualTo("a");
    assertThat(CacheKeys.key("x".repeat(256), 256)).hasSize(256);
    assertThat(CacheKeys.key("with/slash and space?", 256)).isEqualTo("with/slash and space?");
    // 128 two-byte characters are exactly 256 bytes.
    assertThat(CacheKeys.key("é".repeat(128), 256)).hasSize(128);

    assertKind(() -> CacheKeys.key(null, 256), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.key("", 256), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.key("x".repeat(257), 256), CacheException.Kind.KEY_TOO_LONG);
    // 129 characters but 258 bytes.
    assertKind(() -> CacheKeys.key("é".repeat(129), 256), CacheException.Kind.KEY_TOO_LONG);
    // 4-byte code points: 65 of them are 260 bytes in 130 chars.
    assertKind(() -> CacheKeys.key("😀".repeat(65), 256), CacheException.Kind.KEY_TOO_LONG);
    assertKind(() -> CacheKeys.key("bad\uD800", 256), CacheException.Kind.INVALID);
  }

  @Test
  void tagsMatchThePatternAndAreBoundedAndDeduplicated() {
    assertThat(CacheKeys.tags(List.of("user:42", "a.b-c_d", "user:42"), 16))
        .containsExactly("user:42", "a.b-c_d");
    assertThat(CacheKeys.tags(null, 16)).isEmpty();
    assertThat(CacheKeys.tag("x".repeat(64))).hasSize(64);

    List<String> seventeen = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      seventeen.add("t" + i);
    }
    assertThat(CacheKeys.tags(seventeen.subList(0, 16), 16)).hasSize(16);
    assertKind(() -> CacheKeys.tags(seventeen, 16), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.tag("x".repeat(65)), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.tag(""), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.tag("a b"), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.tag("a/b"), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.tag(null), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.tags(Arrays.asList("ok", null), 16), CacheException.Kind.INVALID);
  }

  @Test
  void parsesCommaSeparatedTags() {
    assertThat(CacheKeys.parseTags("a,b,c", 16)).containsExactly("a", "b", "c");
    assertThat(CacheKeys.parseTags("", 16)).isEmpty();
    assertThat(CacheKeys.parseTags(null, 16)).isEmpty();

    assertKind(() -> CacheKeys.parseTags("a,,b", 16), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.parseTags("a,", 16), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.parseTags("a,b,c", 2), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.parseTags(",".repeat(100_000), 16), CacheException.Kind.INVALID);
  }

  @Test
  void valuesAreBoundedAndCarryAPlausibleContentType() {
    CacheValue exact = new CacheValue(new byte[1024], "application/json; charset=utf-8");
    assertThat(CacheKeys.value(exact, 1024)).isSameAs(exact);

    assertKind(
        () -> CacheKeys.value(CacheValue.of(new byte[1025]), 1024), CacheException.Kind.TOO_LARGE);
    assertKind(() -> CacheKeys.value(null, 1024), CacheException.Kind.INVALID);
    assertKind(
        () -> CacheKeys.value(new CacheValue(new byte[1], ""), 1024), CacheException.Kind.INVALID);
    assertKind(
        () -> CacheKeys.value(new CacheValue(new byte[1], "text/plain\r\nX-Evil: 1"), 1024),
        CacheException.Kind.INVALID);
    assertKind(
        () -> CacheKeys.value(new CacheValue(new byte[1], "a/" + "b".repeat(300)), 1024),
        CacheException.Kind.INVALID);
  }

  @Test
  void tenantsMustBeValidIdParts() {
    assertThat(CacheKeys.tenant("acme")).isEqualTo("acme");
    assertKind(() -> CacheKeys.tenant("ac:me"), CacheException.Kind.INVALID);
    assertKind(() -> CacheKeys.tenant(""), CacheException.Kind.INVALID);
  }

  static void assertKind(ThrowingCallable call, CacheException.Kind kind) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(CacheException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
