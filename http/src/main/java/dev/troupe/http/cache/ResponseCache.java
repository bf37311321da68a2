package dev.troupe.http.cache;

import com.typesafe.config.Config;
import dev.troupe.actors.cache.Cache;
import dev.troupe.actors.cache.CacheEntry;
import dev.troupe.actors.cache.CacheException;
import dev.troupe.actors.cache.CacheKeys;
import dev.troupe.actors.cache.CacheValue;
import dev.troupe.actors.cache.PutOptions;
import dev.troupe.actors.identity.Names;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.persistence.audit.RequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Age;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.server.RouteResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directive that answers GET and HEAD requests from the cluster-wide cache: {@code
 * support.responseCache().cached(List.of("products"), () -> route)}.
 *
 * <p>Entries live in the namespace {@code troupe.cache.response-cache.namespace} (by default
 * {@code http-responses}, in memory only) of the requester's tenant. The key is a hash of the
 * tenant, the principal ({@value #ANONYMOUS} for a request without an authenticated context, whose
 * entries live in the {@code system} tenant), the method, the path with its query, and the values
 * of the request headers the response named in {@code Vary}. The Vary names are stored under the
 * key without them, so a lookup knows which request headers pick the variant. So a response is
 * only ever answered to the same principal of the same tenant that caused it, even when public.
 *
 * <p>What is stored: 200 responses to GET or HEAD whose body is strict or of known length, at most
 * {@code max-body-size} (streams of unknown length, such as SSE, pass through untouched), without
 * {@code Set-Cookie}, without {@code Cache-Control} {@code no-store}, {@code no-cache} or {@code
 * private}, without {@code Vary: *}; to a request carrying credentials ({@code Authorization} or
 * {@code Cookie}, which every token-authenticated request does) only when the response says {@code
 * Cache-Control: public}. The ttl is {@code s-maxage}, else {@code max-age} (0: not stored; capped
 * at the namespace's {@code max-ttl}), else the namespace's {@code default-ttl}. A request with
 * {@code Cache-Control: no-cache} skips the lookup (the fresh answer is stored), one with {@code
 * no-store} skips both.
 *
 * <p>Hits answer the stored headers and body with {@code Age} and {@code X-Cache: hit} without
 * running the inner route; misses of GET and HEAD carry {@code X-Cache: miss}. Wrap it inside any
 * permission check, since a hit skips what is inside. A miss waits for its store before it
 * answers, so the next request finds it; a cache that cannot be reached makes every request a miss
 * (slowed by the ask timeout), never a failure. Entries go with their tags: {@link #invalidate} (or {@code POST
 * /cache/http-responses/invalidate?tag=}).
 */
public final class ResponseCache extends AllDirectives {

  /** The principal of requests without an authenticated context. */
  public static final String ANONYMOUS = "anonymous";

  private static final Logger log = LoggerFactory.getLogger(ResponseCache.class);

  private static final RawHeader HIT = RawHeader.create("X-Cache", "hit");
  private static final RawHeader MISS = RawHeader.create("X-Cache", "miss");

  /** Response headers that describe one transfer, not the resource: never stored. */
  private static final Set<String> TRANSIENT_HEADERS =
      Set.of(
          "age", "connection", "content-length", "content-type", "date", "keep-alive", "server",
          "set-cookie", "transfer-encoding", "x-cache", RequestContexts.REQUEST_ID_HEADER.toLowerCase(Locale.ROOT));

  private final ActorSystem<?> system;
  private final Cache cache;
  private final String namespace;
  private final long maxBodyBytes;
  private final long strictTimeoutMillis;
  private final Executor executor;

  public ResponseCache(ActorSystem<?> system) {
    Config config = system.settings().config();
    this.system = system;
    this.cache = Cache.get(system);
    this.namespace = CacheKeys.namespace(config.getString("troupe.cache.response-cache.namespace"));
    this.maxBodyBytes = config.getBytes("troupe.cache.response-cache.max-body-size");
    this.strictTimeoutMillis = config.getDuration("pekko.http.server.request-timeout").toMillis();
    this.executor = system.executionContext();
  }

  /** The namespace responses are stored in. */
  public String namespace() {
    return namespace;
  }

  /**
   * Answers GET and HEAD from the cache, else runs the inner route and stores what it answers if
   * it may be stored, with these tags. Other methods run the inner route untouched.
   *
   * @throws CacheException INVALID (a 400) if a tag is malformed or there are too many
   */
  public Route cached(List<String> tags, Supplier<Route> inner) {
    return extractRequest(
        request -> {
          String method = request.method().name();
          if (!method.equals("GET") && !method.equals("HEAD")) {
            return inner.get();
          }
          List<String> checkedTags = CacheKeys.tags(tags, cache.settings().maxTags());
          CacheControl asked = CacheControl.of(request.getHeaders());
          Optional<RequestContext> authenticated = RequestContexts.contextOf(request);
          RequestContext context = contextOf(request, authenticated);
          String base = baseKey(context, authenticated.isEmpty(), request);
          boolean mayStore = !asked.has("no-store");
          Miss miss = new Miss(request, context, base, checkedTags, mayStore);
          if (asked.has("no-cache") || asked.has("no-store")) {
            return miss(miss, inner);
          }
          return onSuccess(
              lookup(context, base, request),
              hit -> hit.map(this::serve).orElseGet(() -> miss(miss, inner)));
        });
  }

  /** Removes this tenant's cached responses carrying the tag; how many. */
  public CompletionStage<Integer> invalidate(RequestContext context, String tag) {
    return cache.invalidateTag(context, namespace, tag);
  }

  private record Hit(CacheEntry entry, StoredResponse.Response response) {

    static Optional<Hit> of(CacheEntry entry) {
      return StoredResponse.decode(entry.value())
          .filter(StoredResponse.Response.class::isInstance)
          .map(r -> new Hit(entry, (StoredResponse.Response) r));
    }
  }

  /** What a miss needs to store its answer. */
  private record Miss(
      HttpRequest request, RequestContext context, String base, List<String> tags, boolean mayStore) {}

  /** How an answer is stored: its ttl (empty: the namespace's default) and the Vary names. */
  private record Plan(Optional<Duration> ttl, List<String> vary) {}

  private CompletionStage<Optional<Hit>> lookup(RequestContext context, String base, HttpRequest request) {
    return cache
        .get(context, namespace, base)
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Hit>empty());
              }
              Optional<StoredResponse> stored = StoredResponse.decode(found.get().value());
              if (stored.isPresent() && stored.get() instanceof StoredResponse.Varies varies) {
                return cache
                    .get(context, namespace, variantKey(base, varies.names(), request))
                    .thenApply(variant -> variant.flatMap(Hit::of));
              }
              return CompletableFuture.completedFuture(Hit.of(found.get()));
            })
        .exceptionally(
            e -> {
              log.debug("response cache lookup failed; answering as a miss", e);
              return Optional.empty();
            });
  }

  private Route serve(Hit hit) {
    List<HttpHeader> headers = new ArrayList<>();
    for (StoredResponse.Header header : hit.response().headers()) {
      headers.add(RawHeader.create(header.name(), header.value()));
    }
    headers.add(Age.create(Math.max(0, Duration.between(hit.entry().storedAt(), Instant.now()).toSeconds())));
    headers.add(HIT);
    return complete(
        HttpResponse.create()
            .withEntity(
                HttpEntities.create(StoredContentTypes.parse(hit.entry().contentType()), hit.response().body()))
            .addHeaders(headers));
  }

  private Route miss(Miss miss, Supplier<Route> inner) {
    return mapRouteResultWith(
        result -> {
          if (!(result instanceof Complete complete)) {
            return CompletableFuture.completedFuture(result);
          }
          HttpResponse response = complete.getResponse();
          Optional<Plan> plan = miss.mayStore() ? plan(miss.request(), response) : Optional.empty();
          if (plan.isEmpty()) {
            return CompletableFuture.completedFuture(RouteResults.complete(response.addHeader(MISS)));
          }
          return response
              .entity()
              .toStrict(strictTimeoutMillis, maxBodyBytes, system)
              .thenComposeAsync(strict -> store(miss, plan.get(), response.withEntity(strict), strict), executor);
        },
        inner);
  }

  private CompletionStage<RouteResult> store(
      Miss miss, Plan plan, HttpResponse response, HttpEntity.Strict entity) {
    List<StoredResponse.Header> headers = new ArrayList<>();
    for (HttpHeader header : response.getHeaders()) {
      if (!TRANSIENT_HEADERS.contains(header.lowercaseName())) {
        headers.add(new StoredResponse.Header(header.name(), header.value()));
      }
    }
    String contentType =
        entity.getContentType().equals(ContentTypes.NO_CONTENT_TYPE)
            ? StoredContentTypes.DEFAULT
            : entity.getContentType().toString();
    CacheValue value =
        new CacheValue(
            StoredResponse.encode(new StoredResponse.Response(headers, entity.getData().toArray())), contentType);
    PutOptions options = PutOptions.DEFAULT.withTags(miss.tags());
    if (plan.ttl().isPresent()) {
      options = options.withTtl(plan.ttl().get());
    }
    CompletableFuture<?> stored;
    if (plan.vary().isEmpty()) {
      stored = cache.put(miss.context(), namespace, miss.base(), value, options).toCompletableFuture();
    } else {
      CacheValue varies =
          new CacheValue(StoredResponse.encode(new StoredResponse.Varies(plan.vary())), StoredContentTypes.DEFAULT);
      stored =
          CompletableFuture.allOf(
              cache.put(miss.context(), namespace, miss.base(), varies, options).toCompletableFuture(),
              cache
                  .put(miss.context(), namespace, variantKey(miss.base(), plan.vary(), miss.request()), value, options)
                  .toCompletableFuture());
    }
    HttpResponse answer = response.addHeader(MISS);
    return stored.handle(
        (ok, e) -> {
          if (e != null) {
            logStoreFailure(e);
          }
          return RouteResults.complete(answer);
        });
  }

  /** Whether (and how) an answer may be stored; see the class comment for the rules. */
  private Optional<Plan> plan(HttpRequest request, HttpResponse response) {
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
    Duration maxTtl = cache.settings(namespace).maxTtl();
    Optional<Duration> ttl = seconds.map(s -> Duration.ofSeconds(s).compareTo(maxTtl) > 0 ? maxTtl : Duration.ofSeconds(s));
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

  private static void logStoreFailure(Throwable e) {
    Throwable cause = e.getCause() != null && !(e instanceof CacheException) ? e.getCause() : e;
    if (cause instanceof CacheException refused && refused.kind() == CacheException.Kind.INVALID) {
      log.warn("response not cached: {}", refused.getMessage());
    } else {
      log.debug("response not cached", e);
    }
  }

  /** Who a request is cached for: its context, or {@value #ANONYMOUS} in the system tenant. */
  private static RequestContext contextOf(HttpRequest request, Optional<RequestContext> authenticated) {
    return authenticated.orElseGet(
        () ->
            new RequestContext(
                request.getAttribute(RequestContexts.REQUEST_ID).orElse("none"), ANONYMOUS, Names.SYSTEM_ORG));
  }

  /**
   * The key without Vary values. The anonymous principal is hashed as a text no account name can
   * be, so it never shares entries with an account called {@value #ANONYMOUS}.
   */
  private static String baseKey(RequestContext context, boolean anonymous, HttpRequest request) {
    String target = request.getUri().path() + request.getUri().rawQueryString().map(q -> "?" + q).orElse("");
    String principal = anonymous ? "\u0001" + ANONYMOUS : context.principal();
    return "r-" + sha256(context.tenant(), principal, request.method().name(), target);
  }

  private static String variantKey(String base, List<String> names, HttpRequest request) {
    List<String> parts = new ArrayList<>();
    parts.add(base);
    for (String name : names) {
      parts.add(name);
      StringBuilder values = new StringBuilder();
      boolean seen = false;
      for (HttpHeader header : request.getHeaders()) {
        if (header.is(name)) {
          values.append(seen ? "\u0001" : "").append(header.value());
          seen = true;
        }
      }
      // An absent header differs from an empty one.
      parts.add(seen ? "=" + values : "\u0000");
    }
    return "v-" + sha256(parts.toArray(String[]::new));
  }

  private static String sha256(String... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
