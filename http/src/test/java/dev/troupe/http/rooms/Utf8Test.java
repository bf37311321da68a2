package dev.troupe.http.rooms;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void countsLikeTheEncoder() {
    for (String text : new String[] {"", "abc", "é", "€uro", "😀 and 𝄞", "mixed é€😀x"}) {
      assertThat(Utf8.length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }
  }
}
