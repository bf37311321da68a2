package dev.troupe.http.cache;

import dev.troupe.actors.cache.Cache;
import dev.troupe.actors.cache.CacheEntry;
import dev.troupe.actors.cache.CacheException;
import dev.troupe.actors.cache.CacheValue;
import dev.troupe.actors.cache.PutOptions;
import dev.troupe.http.context.RequestContexts;
import dev.troupe.persistence.audit.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the response cache's entries in its namespace: a response under its base key,
 * or, when it varies, the {@code Vary} names under the base key and the response under its variant
 * key ({@link ResponseKeys}). Neither a lookup nor a store ever fails: a cache that cannot be
 * reached is a miss, and a store that fails is logged.
 */
final class ResponseStore {

  private static final Logger log = LoggerFactory.getLogger(ResponseStore.class);

  /** Response headers that describe one transfer, not the resource: never stored. */
  private static final Set<String> TRANSIENT_HEADERS =
      Set.of(
          "age", "connection", "content-length", "content-type", "date", "keep-alive", "server",
          "set-cookie", "transfer-encoding", "x-cache", RequestContexts.REQUEST_ID_HEADER.toLowerCase(Locale.ROOT));

  /** A stored response found for a request. */
  record Hit(CacheEntry entry, StoredResponse.Response response) {

    static Optional<Hit> of(CacheEntry entry) {
      return StoredResponse.decode(entry.value())
          .filter(StoredResponse.Response.class::isInstance)
          .map(r -> new Hit(entry, (StoredResponse.Response) r));
    }
  }

  /** Where a request's answer lives: who asked, the base key, and the tags to store it with. */
  record Slot(HttpRequest request, RequestContext context, String base, List<String> tags) {}

  private final Cache cache;
  private final String namespace;

  ResponseStore(Cache cache, String namespace) {
    this.cache = cache;
    this.namespace = namespace;
  }

  /** The stored answer for the slot's request, if any; empty when the cache cannot be reached. */
  CompletionStage<Optional<Hit>> lookup(Slot slot) {
    return cache
        .get(slot.context(), namespace, slot.base())
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Hit>empty());
              }
              Optional<StoredResponse> stored = StoredResponse.decode(found.get().value());
              if (stored.isPresent() && stored.get() instanceof StoredResponse.Varies varies) {
                return cache
                    .get(slot.context(), namespace, ResponseKeys.variant(slot.base(), varies.names(), slot.request()))
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

  /** Stores the answer (with its strict body) as planned; completes when done or failed. */
  CompletionStage<Void> store(Slot slot, StoragePolicy.Plan plan, HttpResponse response, HttpEntity.Strict entity) {
    List<StoredResponse.Header> headers = new ArrayList<>();
    for (HttpHeader header : response.getHeaders()) {
      if (!TRANSIENT_HEADERS.contains(header.lowercaseName())) {
        headers.add(new StoredResponse.Header(header.name(), header.value()));
      }
    }
    CacheValue value =
        new CacheValue(
            StoredResponse.encode(new StoredResponse.Response(headers, entity.getData().toArray())),
            StoredContentTypes.of(entity.getContentType()));
    PutOptions options = PutOptions.DEFAULT.withTags(slot.tags());
    if (plan.ttl().isPresent()) {
      options = options.withTtl(plan.ttl().get());
    }
    CompletableFuture<?> stored;
    if (plan.vary().isEmpty()) {
      stored = cache.put(slot.context(), namespace, slot.base(), value, options).toCompletableFuture();
    } else {
      CacheValue varies =
          new CacheValue(StoredResponse.encode(new StoredResponse.Varies(plan.vary())), StoredContentTypes.DEFAULT);
      String variantKey = ResponseKeys.variant(slot.base(), plan.vary(), slot.request());
      stored =
          CompletableFuture.allOf(
              cache.put(slot.context(), namespace, slot.base(), varies, options).toCompletableFuture(),
              cache.put(slot.context(), namespace, variantKey, value, options).toCompletableFuture());
    }
    return stored.handle(
        (ok, e) -> {
          if (e != null) {
            logStoreFailure(e);
          }
          return null;
        });
  }

  private static void logStoreFailure(Throwable e) {
    Throwable cause = e.getCause() != null && !(e instanceof CacheException) ? e.getCause() : e;
    if (cause instanceof CacheException refused && refused.kind() == CacheException.Kind.INVALID) {
      log.warn("response not cached: {}", refused.getMessage());
    } else {
      log.debug("response not cached", e);
    }
  }
}
