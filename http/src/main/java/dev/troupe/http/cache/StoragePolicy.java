package dev.troupe.http.cache;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Whether, and how, the response cache may store an answer (the rules are listed on {@link
 * ResponseCache}): only a 200 whose body is strict or of known length within {@code
 * max-body-size}, without {@code Set-Cookie} or {@code Vary: *}, without {@code Cache-Control}
 * {@code no-store}, {@code no-cache} or {@code private}, and, to a request carrying credentials,
 * only when {@code public}. Pure: it reads the request and response and nothing else.
 */
final class StoragePolicy {

  /**
   * How an answer is stored.
   *
   * @param ttl from {@code s-maxage}, else {@code max-age}, capped at the namespace's max-ttl;
   *     empty: the namespace's default
   * @param vary the request headers the answer varies on (lowercase, sorted)
   */
  record Plan(Optional<Duration> ttl, List<String> vary) {}

  private final long maxBodyBytes;
  private final Duration maxTtl;

  StoragePolicy(long maxBodyBytes, Duration maxTtl) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxTtl = maxTtl;
  }

  /** The plan to store this answer to this request; empty when it must not be stored. */
  Optional<Plan> plan(HttpRequest request, HttpResponse response) {
    if (response.status().intValue() != 200) {
      return Optional.empty();
    }
    CacheControl control = CacheControl.of(response.getHeaders());
    if (control.has("no-store") || control.has("no-cache") || control.has("private")) {
      return Optional.empty();
    }
    if (credentialed(request) && !control.has("public")) {
      return Optional.empty();
    }
    TreeSet<String> vary = new TreeSet<>();
    for (HttpHeader header : response.getHeaders()) {
      if (header.is("set-cookie")) {
        return Optional.empty();
      }
      if (header.is("vary")) {
        for (String name : header.value().split(",")) {
          if (!name.isBlank()) {
            vary.add(name.trim().toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    if (vary.contains("*") || !fits(response.entity())) {
      return Optional.empty();
    }
    Optional<Long> seconds = control.seconds("s-maxage").or(() -> control.seconds("max-age"));
    if (seconds.isPresent() && seconds.get() == 0) {
      return Optional.empty();
    }
    Optional<Duration> ttl = seconds.map(Duration::ofSeconds).map(d -> d.compareTo(maxTtl) > 0 ? maxTtl : d);
    return Optional.of(new Plan(ttl, List.copyOf(vary)));
  }

  /** A body of known length within the limit; an indefinite stream is never buffered. */
  private boolean fits(HttpEntity entity) {
    if (entity instanceof HttpEntity.Strict strict) {
      return strict.getData().size() <= maxBodyBytes;
    }
    return entity.getContentLengthOption().isPresent()
        && entity.getContentLengthOption().getAsLong() <= maxBodyBytes;
  }

  private static boolean credentialed(HttpRequest request) {
    for (HttpHeader header : request.getHeaders()) {
      if (header.is("authorization") || header.is("cookie")) {
        return true;
      }
    }
    return false;
  }
}
