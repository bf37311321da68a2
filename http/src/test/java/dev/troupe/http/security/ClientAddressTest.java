package dev.troupe.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

  private final ClientAddress addresses =
      new ClientAddress(
          List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("127.0.0.1/32"), Cidr.parse("fd00::/8")));

  @Test
  void cidrBlocksMatchTheirAddressesOnly() throws Exception {
    Cidr block = Cidr.parse("192.168.4.0/22");
    assertThat(block.contains(InetAddress.getByName("192.168.7.255"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("192.168.8.0"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
    assertThat(Cidr.parse("::1").contains(InetAddress.getByName("::1"))).isTrue();
    assertThat(Cidr.parse("::1").contains(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThatThrownBy(() -> Cidr.parse("example.com/8"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("256.1.1.1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void literalsNeverResolveNames() {
    assertThat(Cidr.literal("localhost")).isEmpty();
    assertThat(Cidr.literal("unknown")).isEmpty();
    assertThat(Cidr.literal("1.2.3")).isEmpty();
    assertThat(Cidr.literal("[::1]")).isPresent();
    assertThat(Cidr.literal("2001:db8::1")).isPresent();
  }

  @Test
  void theFirstUntrustedHopFromTheRightIsTheClient() throws Exception {
    InetAddress proxy = InetAddress.getByName("10.1.2.3");
    assertThat(
            addresses
                .fromForwarded(proxy, List.of("6.6.6.6, 203.0.113.9, 10.9.9.9"))
                .getHostAddress())
        .isEqualTo("203.0.113.9");
    // several headers are one list
    assertThat(
            addresses.fromForwarded(proxy, List.of("6.6.6.6", "203.0.113.9:4711")).getHostAddress())
        .isEqualTo("203.0.113.9");
    // all trusted: the leftmost
    assertThat(addresses.fromForwarded(proxy, List.of("10.0.0.7, 10.0.0.8")).getHostAddress())
        .isEqualTo("10.0.0.7");
    // garbage stops the walk at the last trusted hop
    assertThat(addresses.fromForwarded(proxy, List.of("6.6.6.6, evil, 10.0.0.8")).getHostAddress())
        .isEqualTo("10.0.0.8");
    // no header: the proxy itself
    assertThat(addresses.fromForwarded(proxy, List.of()).getHostAddress()).isEqualTo("10.1.2.3");
  }

  @Test
  void ipv6ClientsShareTheBucketOfTheirSlash64() {
    assertThat(ClientAddress.rateKey("203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(ClientAddress.rateKey("2001:db8:1:2:aaaa::1"))
        .isEqualTo(ClientAddress.rateKey("2001:db8:1:2:ffff:ffff:ffff:ffff"))
        .isEqualTo("2001:db8:1:2::/64");
    assertThat(ClientAddress.rateKey("2001:db8:1:3::1"))
        .isNotEqualTo(ClientAddress.rateKey("2001:db8:1:2::1"));
    assertThat(ClientAddress.rateKey("unknown")).isEqualTo("unknown");
  }

  @Test
  void onlyTwentyHopsAreLookedAt() throws Exception {
    StringBuilder chain = new StringBuilder("203.0.113.1");
    for (int i = 0; i < 25; i++) {
      chain.append(", 10.0.0.").append(i);
    }
    InetAddress client =
        addresses.fromForwarded(InetAddress.getByName("10.1.2.3"), List.of(chain.toString()));
    assertThat(client.getHostAddress()).startsWith("10.0.0.");
  }
}
