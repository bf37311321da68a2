package dev.troupe.http.identity.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BrowserCookiesTest {

  @Test
  void secureFollowsTheNodesTlsOnlyInAutoMode() {
    assertThat(BrowserCookies.secure("auto", "off")).isFalse();
    assertThat(BrowserCookies.secure("auto", "self-signed")).isTrue();
    assertThat(BrowserCookies.secure("auto", "pem")).isTrue();
    // TLS ended by a proxy in front of the node: the operator says so
    assertThat(BrowserCookies.secure("on", "off")).isTrue();
    assertThat(BrowserCookies.secure("off", "pem")).isFalse();
  }

  @Test
  void anUnknownSettingIsAStartupError() {
    assertThatThrownBy(() -> BrowserCookies.secure("yes", "off"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auto, on or off");
  }
}
