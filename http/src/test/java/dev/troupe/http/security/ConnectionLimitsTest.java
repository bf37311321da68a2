package dev.troupe.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  /** The start-timeout tasks the limits scheduled, run by hand (a fake scheduler). */
  private final List<Runnable> timeouts = new ArrayList<>();

  private final List<Duration> delays = new ArrayList<>();

  private ConnectionLimits limits(int perUser, int perIp) {
    return new ConnectionLimits(
        perUser,
        perIp,
        START_TIMEOUT,
        (delay, task) -> {
          delays.add(delay);
          timeouts.add(task);
        });
  }

  @Test
  void aLeaseWhoseConnectionNeverStartsIsReleasedAtTheStartTimeout() {
    ConnectionLimits limits = limits(1, 10);
    Optional<ConnectionLimits.Lease> lease = limits.acquire("org/ann", "198.51.100.1");
    assertThat(lease).isPresent();
    assertThat(delays).containsExactly(START_TIMEOUT);
    assertThat(limits.acquire("org/ann", "198.51.100.1")).isEmpty();

    timeouts.get(0).run(); // the connection never started

    assertThat(limits.countOfUser("org/ann")).isZero();
    assertThat(limits.countOfAddress("198.51.100.1")).isZero();
    assertThat(limits.acquire("org/ann", "198.51.100.1")).isPresent();
  }

  @Test
  void aStartedLeaseOutlivesTheStartTimeoutAndIsReleasedOnceWhenItEnds() {
    ConnectionLimits limits = limits(2, 10);
    ConnectionLimits.Lease lease = limits.acquire("org/ann", "198.51.100.1").orElseThrow();
    lease.started();
    timeouts.get(0).run();
    assertThat(limits.countOfUser("org/ann")).isEqualTo(1);

    ConnectionLimits.Lease other = limits.acquire("org/ann", "198.51.100.1").orElseThrow();
    assertThat(limits.acquire("org/ann", "198.51.100.1")).isEmpty();
    lease.release();
    lease.release(); // idempotent: must not free the other lease's slot
    assertThat(limits.countOfUser("org/ann")).isEqualTo(1);
    assertThat(limits.countOfAddress("198.51.100.1")).isEqualTo(1);
    // a late start timeout of an ended lease changes nothing either
    timeouts.get(0).run();
    assertThat(limits.countOfUser("org/ann")).isEqualTo(1);
    other.release();
    assertThat(limits.countOfUser("org/ann")).isZero();
  }

  @Test
  void aRefusedAddressGivesTheUserSlotBack() {
    ConnectionLimits limits = limits(5, 1);
    assertThat(limits.acquire("org/ann", "198.51.100.1")).isPresent();
    assertThat(limits.acquire("org/bob", "198.51.100.1")).isEmpty();
    assertThat(limits.countOfUser("org/bob")).isZero();
    assertThat(limits.acquire("org/bob", "198.51.100.2")).isPresent();
  }

  @Test
  void ipv6AddressesAreCountedPerSlash64() {
    ConnectionLimits limits = limits(10, 2);
    assertThat(limits.acquire("org/a", "2001:db8:1:2::1")).isPresent();
    assertThat(limits.acquire("org/b", "2001:db8:1:2:ffff::9")).isPresent();
    // a third address in the same /64 is the same client
    assertThat(limits.acquire("org/c", "2001:db8:1:2:abcd:1234:5678:9abc")).isEmpty();
    assertThat(limits.countOfAddress("2001:db8:1:2::77")).isEqualTo(2);
    // the next /64 is another client; IPv4 addresses stay whole
    assertThat(limits.acquire("org/c", "2001:db8:1:3::1")).isPresent();
    assertThat(limits.acquire("org/d", "198.51.100.1")).isPresent();
    assertThat(limits.acquire("org/e", "198.51.100.2")).isPresent();
    assertThat(limits.countOfAddress("198.51.100.1")).isEqualTo(1);
  }
}
