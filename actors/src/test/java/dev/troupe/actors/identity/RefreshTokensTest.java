package dev.troupe.actors.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RefreshTokensTest {

  @Test
  void anIssuedTokenParsesBackAndOnlyItsSecretsHashIsKept() {
    RefreshTokens.Issued issued = RefreshTokens.issue("acme", "AbC_d-123");

    RefreshTokens.Parsed parsed = RefreshTokens.parse(issued.token()).orElseThrow();

    assertThat(parsed.org()).isEqualTo("acme");
    assertThat(parsed.sessionId()).isEqualTo("AbC_d-123");
    assertThat(RefreshTokens.hash(parsed.secret())).isEqualTo(issued.hash());
    assertThat(issued.hash()).doesNotContain(parsed.secret()).hasSize(64);
    assertThat(RefreshTokens.issue("acme", "AbC_d-123").token()).isNotEqualTo(issued.token());
  }

  @Test
  void malformedTokensDoNotParse() {
    assertThat(RefreshTokens.parse(null)).isEmpty();
    assertThat(RefreshTokens.parse("")).isEmpty();
    assertThat(RefreshTokens.parse("acme~sid")).isEmpty();
    assertThat(RefreshTokens.parse("acme~sid~short")).isEmpty();
    assertThat(RefreshTokens.parse("Not An Org~sid~" + "x".repeat(43))).isEmpty();
    assertThat(RefreshTokens.parse("acme~s/id~" + "x".repeat(43))).isEmpty();
    assertThat(RefreshTokens.parse("acme~sid~" + "x".repeat(300))).isEmpty();
  }
}
