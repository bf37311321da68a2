package dev.troupe.platform;

import dev.troupe.http.RouteSupport;
import dev.troupe.http.extension.TroupeExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.StringUnmarshallers;

/**
 * Test routes for drain tests: {@code GET /test/slow?millis=n} answers 200 after {@code n} ms (a
 * timer, no thread blocked), {@code GET /test/slow/in-flight} how many of those are running, so a
 * test knows a slow request reached the node before it sends SIGTERM.
 */
public final class SlowExtension extends AllDirectives implements TroupeExtension {

  private final AtomicInteger inFlight = new AtomicInteger();

  @Override
  public void start(ActorSystem<?> system) {}

  @Override
  public Route routes(RouteSupport support) {
    return pathPrefix(
        "test",
        () ->
            concat(
                path(
                    PathMatchers.segment("slow").slash("in-flight"),
                    () -> get(() -> complete(Integer.toString(inFlight.get())))),
                path(
                    "slow",
                    () ->
                        get(
                            () ->
                                parameter(
                                    StringUnmarshallers.INTEGER,
                                    "millis",
                                    millis -> onSuccess(slow(millis), text -> complete(text)))))));
  }

  private CompletionStage<String> slow(int millis) {
    inFlight.incrementAndGet();
    return CompletableFuture.supplyAsync(
            () -> "answered after " + millis + " ms",
            CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS))
        .whenComplete((text, error) -> inFlight.decrementAndGet());
  }
}
