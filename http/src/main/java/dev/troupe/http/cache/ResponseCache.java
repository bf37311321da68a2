package dev.troupe.http.cache;

import dev.troupe.actors.cache.Cache;
import dev.troupe.actors.cache.CacheException;
import dev.troupe.actors.cache.CacheKeys;
import dev.troupe.actors.identity.Names;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.persistence.audit.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.RouteResults;

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
 *
 * <p>The namespace is reserved over HTTP: {@code GET}, {@code PUT} and {@code DELETE} of its keys
 * under {@code /cache} are refused (403), so nobody can read another principal's answers or plant
 * one; its flush, invalidate and stats work as for any namespace. Parts: {@link StoragePolicy}
 * (what is stored), {@link ResponseKeys} (keys), {@link ResponseStore} (entries), {@link
 * StoredResponse} (their bytes).
 */
public final class ResponseCache extends AllDirectives {

  /** The principal of requests without an authenticated context. */
  public static final String ANONYMOUS = "anonymous";

  private static final RawHeader HIT = RawHeader.create("X-Cache", "hit");
  private static final RawHeader MISS = RawHeader.create("X-Cache", "miss");

  private final ActorSystem<?> system;
  private final Cache cache;
  private final ResponseCacheSettings settings;
  private final StoragePolicy policy;
  private final ResponseStore store;
  private final Executor executor;

  public ResponseCache(ActorSystem<?> system) {
    this.system = system;
    this.cache = Cache.get(system);
    this.settings = ResponseCacheSettings.from(system.settings().config());
    this.policy = new StoragePolicy(settings.maxBodyBytes(), cache.settings(settings.namespace()).maxTtl());
    this.store = new ResponseStore(cache, settings.namespace());
    this.executor = system.executionContext();
  }

  /** The namespace responses are stored in. */
  public String namespace() {
    return settings.namespace();
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
          ResponseStore.Slot slot =
              new ResponseStore.Slot(
                  request, context, ResponseKeys.base(context, authenticated.isEmpty(), request), checkedTags);
          boolean mayStore = !asked.has("no-store");
          if (asked.has("no-cache") || asked.has("no-store")) {
            return miss(slot, mayStore, inner);
          }
          return onSuccess(
              store.lookup(slot), hit -> hit.map(this::serve).orElseGet(() -> miss(slot, mayStore, inner)));
        });
  }

  /** Removes this tenant's cached responses carrying the tag; how many. */
  public CompletionStage<Integer> invalidate(RequestContext context, String tag) {
    return cache.invalidateTag(context, settings.namespace(), tag);
  }

  private Route serve(ResponseStore.Hit hit) {
    List<HttpHeader> headers = new ArrayList<>();
    for (StoredResponse.Header header : hit.response().headers()) {
      headers.add(RawHeader.create(header.name(), header.value()));
    }
    headers.add(Ages.header(hit.entry().storedAt()));
    headers.add(HIT);
    return complete(
        HttpResponse.create()
            .withEntity(
                HttpEntities.create(StoredContentTypes.parse(hit.entry().contentType()), hit.response().body()))
            .addHeaders(headers));
  }

  /** Runs the inner route; stores its answer when allowed and the policy agrees, then answers. */
  private Route miss(ResponseStore.Slot slot, boolean mayStore, Supplier<Route> inner) {
    return mapRouteResultWith(
        result -> {
          if (!(result instanceof Complete complete)) {
            return CompletableFuture.completedFuture(result);
          }
          HttpResponse response = complete.getResponse();
          Optional<StoragePolicy.Plan> plan =
              mayStore ? policy.plan(slot.request(), response) : Optional.empty();
          if (plan.isEmpty()) {
            return CompletableFuture.completedFuture(RouteResults.complete(response.addHeader(MISS)));
          }
          return response
              .entity()
              .toStrict(settings.strictTimeoutMillis(), settings.maxBodyBytes(), system)
              .thenComposeAsync(
                  strict -> {
                    HttpResponse whole = response.withEntity(strict);
                    return store
                        .store(slot, plan.get(), whole, strict)
                        .thenApply(done -> RouteResults.complete(whole.addHeader(MISS)));
                  },
                  executor);
        },
        inner);
  }

  /** Who a request is cached for: its context, or {@value #ANONYMOUS} in the system tenant. */
  private static RequestContext contextOf(HttpRequest request, Optional<RequestContext> authenticated) {
    return authenticated.orElseGet(
        () ->
            new RequestContext(
                request.getAttribute(RequestContexts.REQUEST_ID).orElse("none"), ANONYMOUS, Names.SYSTEM_ORG));
  }
}
