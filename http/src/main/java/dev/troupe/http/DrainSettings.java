package dev.troupe.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.time.Duration;

/**
 * Fits coordinated shutdown to the HTTP drain. The drain ({@code troupe.http.drain-deadline}, 10 s
 * by default) runs as a task of the {@code service-requests-done} phase, which Pekko cuts off
 * after {@code default-phase-timeout} (5 s): requests still running then lost their connection
 * without an answer. Unless an operator set that phase's timeout, it gets the drain deadline plus
 * a second.
 */
final class DrainSettings {

  static final String PHASE_TIMEOUT = "pekko.coordinated-shutdown.phases.service-requests-done.timeout";

  private DrainSettings() {}

  static Config fitShutdownPhase(Config config) {
    if (config.hasPath(PHASE_TIMEOUT)) {
      return config;
    }
    Duration needed = config.getDuration("troupe.http.drain-deadline").plusSeconds(1);
    if (needed.compareTo(config.getDuration("pekko.coordinated-shutdown.default-phase-timeout")) <= 0) {
      return config;
    }
    return config.withValue(PHASE_TIMEOUT, ConfigValueFactory.fromAnyRef(needed.toMillis() + "ms"));
  }
}
