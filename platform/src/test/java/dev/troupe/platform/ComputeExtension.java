package dev.troupe.platform;

import dev.troupe.actors.cache.Cache;
import dev.troupe.actors.cache.CacheValue;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.extension.TroupeExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Test routes around {@link Cache#getOrCompute}, plugged into node processes like an application's
 * extension:
 *
 * <ul>
 *   <li>{@code GET /test-compute/{key}}: {@code getOrCompute} in namespace {@value #NAMESPACE} of
 *       the caller's tenant, with a loader that counts its runs (per key, in this process) and
 *       completes after {@value #LOAD_MILLIS} ms on a timer (no thread blocked) with {@code
 *       "<node-name>:<key>:<run>"}; answers the entry's value as text.
 *   <li>{@code GET /test-compute-count/{key}}: how often this process ran the loader for the key.
 * </ul>
 */
public final class ComputeExtension extends AllDirectives implements TroupeExtension {

  /** The (durable, default-configured) namespace the loads are cached in. */
  public static final String NAMESPACE = "compute";

  /** How long a load takes: long enough for every concurrent caller to arrive while it runs. */
  public static final long LOAD_MILLIS = 1000;

  private static final Duration TTL = Duration.ofMinutes(10);

  private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();
  private volatile String nodeName = "?";

  @Override
  public void start(ActorSystem<?> system) {
    nodeName = system.settings().config().getString("troupe.node-name");
  }

  @Override
  public Route routes(RouteSupport support) {
    return concat(
        path(
            PathMatchers.segment("test-compute").slash(PathMatchers.segment()),
            key ->
                get(
                    () ->
                        support.withContext(
                            context ->
                                onSuccess(
                                    Cache.get(support.system())
                                        .getOrCompute(context, NAMESPACE, key, TTL, () -> load(key)),
                                    entry -> complete(new String(entry.value(), StandardCharsets.UTF_8)))))),
        path(
            PathMatchers.segment("test-compute-count").slash(PathMatchers.segment()),
            key -> get(() -> complete(Integer.toString(counter(key).get())))));
  }

  private CompletionStage<CacheValue> load(String key) {
    int run = counter(key).incrementAndGet();
    String value = nodeName + ":" + key + ":" + run;
    return CompletableFuture.supplyAsync(
        () -> new CacheValue(value.getBytes(StandardCharsets.UTF_8), "text/plain; charset=UTF-8"),
        CompletableFuture.delayedExecutor(LOAD_MILLIS, TimeUnit.MILLISECONDS));
  }

  private AtomicInteger counter(String key) {
    return loads.computeIfAbsent(key, k -> new AtomicInteger());
  }
}
