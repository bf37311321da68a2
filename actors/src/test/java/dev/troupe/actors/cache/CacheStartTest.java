package dev.troupe.actors.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.troupe.persistence.TroupeConfig;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** What the cache refuses before it runs: a frame too small for its values, calls before start. */
class CacheStartTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "CacheStartTest",
          ConfigFactory.parseString(
                  """
                  pekko.actor.provider = local
                  pekko.remote.artery.advanced.maximum-frame-size = 1MiB
                  troupe.cache.max-value-size = 1MiB
                  """)
              .withFallback(ConfigFactory.load()));

  private static final RequestContext ALICE = new RequestContext("req-1", "alice", "acme");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Throwable failure(CompletionStage<?> stage) throws Exception {
    return stage.handle((value, error) -> error).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void refusesToStartWhenAValueDoesNotFitInARemotingFrame() {
    Cache cache = Cache.get(testKit.system());

    assertThatThrownBy(cache::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("troupe.cache.max-value-size (1048576 bytes)")
        .hasMessageContaining("pekko.remote.artery.advanced.maximum-frame-size (1048576 bytes)")
        .message()
        .doesNotContain("\n");
  }

  @Test
  void callsBeforeStartFailTheirStageAsUnavailableAfterValidation() throws Exception {
    Cache cache = Cache.get(testKit.system());

    Throwable unavailable = failure(cache.get(ALICE, "pages", "k"));
    assertThat(unavailable).isInstanceOf(CacheException.class);
    assertThat(((CacheException) unavailable).kind()).isEqualTo(CacheException.Kind.UNAVAILABLE);
    assertThat(((CacheException) failure(cache.flush(ALICE, "pages"))).kind())
        .isEqualTo(CacheException.Kind.UNAVAILABLE);

    // Validation comes first, and never throws from the call itself.
    Throwable invalid =
        failure(cache.put(ALICE, "pages", "k", CacheValue.of(new byte[2 * 1024 * 1024]), PutOptions.DEFAULT));
    assertThat(((CacheException) invalid).kind()).isEqualTo(CacheException.Kind.TOO_LARGE);
  }

  @Test
  void theShippedFrameSizeCarriesTheShippedMaximumValue() {
    var config = TroupeConfig.load(ConfigFactory.parseString("troupe.data-dir = target/cache-start-test"));

    long frame = config.getBytes(FrameFit.FRAME_SIZE_PATH);
    assertThat(frame).isEqualTo(2L * 1024 * 1024);
    assertThat(CacheSettings.from(config).maxValueBytes() + FrameFit.FRAME_OVERHEAD).isLessThanOrEqualTo(frame);
    assertThat(config.getInt("pekko.remote.artery.advanced.buffer-pool-size")).isEqualTo(32);
  }

  @Test
  void theShippedConfigHasTheMemoryBucketKeys() {
    var config = TroupeConfig.load(ConfigFactory.parseString("troupe.data-dir = target/cache-start-test"));

    assertThat(config.getDuration("troupe.cache.memory.read-timeout")).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.getInt("troupe.cache.memory.stash-size")).isEqualTo(1000);
  }
}
