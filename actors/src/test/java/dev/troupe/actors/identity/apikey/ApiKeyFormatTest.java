package dev.troupe.actors.identity.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] OTHER = "fedcba9876543210fedcba9876543210".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  @Test
  void generatedKeysParseAndDiffer() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ApiKeyFormat.Generated g = ApiKeyFormat.generate(SECRET);
      assertThat(g.key()).startsWith("trp_" + g.id() + "_").hasSize(4 + 16 + 1 + 43);
      assertThat(ApiKeyFormat.parse(g.key(), SECRET)).hasValueSatisfying(p -> assertThat(p.id()).isEqualTo(g.id()));
      assertThat(ApiKeyFormat.validId(g.id())).isTrue();
      ids.add(g.id());
    }
    assertThat(ids).hasSize(100);
  }

  @Test
  void malformedKeysDoNotParse() {
    String good = ApiKeyFormat.generate(SECRET).key();
    assertThat(ApiKeyFormat.parse(null, SECRET)).isEmpty();
    assertThat(ApiKeyFormat.parse("", SECRET)).isEmpty();
    assertThat(ApiKeyFormat.parse(good.substring(0, good.length() - 1), SECRET)).isEmpty();
    assertThat(ApiKeyFormat.parse(good + "A", SECRET)).isEmpty();
    assertThat(ApiKeyFormat.parse("xyz" + good.substring(3), SECRET)).isEmpty();
    assertThat(ApiKeyFormat.parse(good.toUpperCase(), SECRET)).isEmpty();
    assertThat(ApiKeyFormat.parse(good.replace('_', '.'), SECRET)).isEmpty();
  }

  @Test
  void idsWithoutTheirMacDoNotParse() {
    ApiKeyFormat.Generated g = ApiKeyFormat.generate(SECRET);
    assertThat(ApiKeyFormat.wellFormed(g.key())).isTrue();
    assertThat(ApiKeyFormat.parse(g.key(), OTHER)).as("another cluster's secret").isEmpty();
    // change one character of the random part: well formed, but its MAC no longer fits
    char first = g.id().charAt(0);
    String forgedId = (first == 'a' ? 'b' : 'a') + g.id().substring(1);
    String forged = "trp_" + forgedId + g.key().substring(4 + 16);
    assertThat(ApiKeyFormat.wellFormed(forged)).isTrue();
    assertThat(ApiKeyFormat.parse(forged, SECRET)).isEmpty();
    // a guessed id almost never carries a good MAC
    int passed = 0;
    for (int i = 0; i < 10_000; i++) {
      String guess = ApiKeyFormat.generate(OTHER).key();
      if (ApiKeyFormat.parse(guess, SECRET).isPresent()) {
        passed++;
      }
    }
    assertThat(passed).isLessThanOrEqualTo(1);
  }

  @Test
  void hashMatchesOnlyTheSameKey() {
    ApiKeyFormat.Generated g = ApiKeyFormat.generate(SECRET);
    String hash = ApiKeyFormat.hash(g.key());
    assertThat(hash).hasSize(64).doesNotContain(g.key());
    assertThat(ApiKeyFormat.matches(g.key(), hash)).isTrue();
    String forged = g.key().substring(0, g.key().length() - 1) + (g.key().endsWith("A") ? "B" : "A");
    assertThat(ApiKeyFormat.matches(forged, hash)).isFalse();
    assertThat(ApiKeyFormat.matches(g.key(), null)).isFalse();
    assertThat(g.toString()).doesNotContain(g.key());
  }
}
