package dev.troupe.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.TroupeConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainSettingsTest {

  @Test
  void theHttpDrainIsNotCutShortByCoordinatedShutdown() {
    var config = DrainSettings.fitShutdownPhase(TroupeConfig.load());

    assertThat(config.getDuration(DrainSettings.PHASE_TIMEOUT))
        .isEqualTo(config.getDuration("troupe.http.drain-deadline").plusSeconds(1));
  }

  @Test
  void anOperatorsPhaseTimeoutWins() {
    var config =
        DrainSettings.fitShutdownPhase(
            TroupeConfig.load(ConfigFactory.parseString(DrainSettings.PHASE_TIMEOUT + " = 3s")));

    assertThat(config.getDuration(DrainSettings.PHASE_TIMEOUT)).isEqualTo(Duration.ofSeconds(3));
  }
}
