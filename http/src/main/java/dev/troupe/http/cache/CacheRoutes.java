package dev.troupe.http.cache;

import dev.troupe.actors.cache.Cache;
import dev.troupe.actors.cache.CacheEntry;
import dev.troupe.actors.cache.CacheKeys;
import dev.troupe.actors.cache.CacheSettings;
import dev.troupe.actors.cache.CacheStats;
import dev.troupe.actors.cache.CacheValue;
import dev.troupe.actors.cache.PutOptions;
import dev.troupe.actors.cache.Ttl;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The cache over HTTP, scoped to the caller's org (the principal's tenant):
 *
 * <ul>
 *   <li>{@code PUT /cache/{ns}/{key}?ttl=30s&tags=a,b} stores the body with its {@code
 *       Content-Type} (none: {@code application/octet-stream}): 204 with {@code ETag}. {@code
 *       If-Match: "<etag>"} makes it a compare-and-set, {@code If-None-Match: *} a put-if-absent
 *       (412 when they do not hold, see {@link EntityTags}).
 *   <li>{@code GET /cache/{ns}/{key}}: 200 with the body, its content type, {@code ETag} and
 *       {@code Age}; 304 for a matching {@code If-None-Match}; 404 when absent or expired.
 *   <li>{@code DELETE /cache/{ns}/{key}}: 204 whether or not it existed; {@code DELETE
 *       /cache/{ns}} flushes the namespace: 204.
 *   <li>{@code POST /cache/{ns}/invalidate?tag=t}: 200 {@code {"invalidated": n}}.
 *   <li>{@code GET /cache/{ns}/stats}: 200 {@code {"entries","bytes","hits","misses","evictions",
 *       "expirations"}}. (So a key named {@code stats} can be written and deleted over HTTP, but
 *       not read: use another key, or the Java API.)
 * </ul>
 *
 * The response cache's namespace ({@code troupe.cache.response-cache.namespace}) is reserved:
 * GET, PUT and DELETE of its keys are a 403 (problem {@code forbidden}) for everyone, sys-admins
 * included, before any permission check; its flush, invalidate and stats need the usual
 * permissions.
 *
 * Reads need {@code cache.read}, writes {@code cache.write} (403 otherwise). A key longer than
 * {@code max-key-bytes} is a 414, a body over {@code max-value-size} a 413, a bad namespace, ttl,
 * tag or conditional header a 400; all problem+json. A PUT's body limit is {@code max-value-size}
 * instead of the node's {@code troupe.http.max-body-size}. Everything else under {@code /cache}
 * (unknown paths, wrong methods) is answered here, not passed on to other routes.
 */
public final class CacheRoutes extends AllDirectives {

  /** The permission to read entries and stats. */
  public static final String READ = "cache.read";

  /** The permission to put, delete, invalidate and flush. */
  public static final String WRITE = "cache.write";

  private final RouteSupport support;
  private final Cache cache;
  private final CacheSettings settings;
  private final String reserved;

  public CacheRoutes(RouteSupport support) {
    this.support = support;
    this.cache = Cache.get(support.system());
    this.settings = cache.settings();
    this.reserved = ResponseCacheSettings.from(support.system().settings().config()).namespace();
  }

  public Route route() {
    return pathPrefix(
        "cache",
        () ->
            wholeSegment(
                () ->
                    pathPrefix(
                        PathMatchers.segment(),
                        namespace ->
                            inScope(namespace, () -> support.withContext(context -> inNamespace(context, namespace))))));
  }

  /** Refuses (403) a namespace outside the credential's scopes (an API key's {@code scopes.namespaces}). */
  private Route inScope(String namespace, Supplier<Route> inner) {
    return support.withPrincipal(
        principal -> {
          if (!principal.scopes().allowsNamespace(namespace)) {
            throw new ProblemException(
                ProblemCode.FORBIDDEN, "the credential's scopes do not include namespace '" + namespace + "'");
          }
          return inner.get();
        });
  }

  private Route inNamespace(RequestContext context, String namespace) {
    return concat(
        pathEnd(() -> delete(() -> writing(() -> flush(context, namespace)))),
        path("stats", () -> get(() -> reading(() -> stats(context, namespace)))),
        path("invalidate", () -> post(() -> writing(() -> invalidate(context, namespace)))),
        path(
            PathMatchers.segment(),
            key ->
                concat(
                    get(() -> unreserved(namespace, () -> reading(() -> read(context, namespace, key)))),
                    put(() -> unreserved(namespace, () -> writing(() -> write(context, namespace, key)))),
                    delete(() -> unreserved(namespace, () -> writing(() -> remove(context, namespace, key)))))));
  }

  /**
   * Refuses the entries of the response cache's namespace: read, they would show other
   * principals' answers; written, they would be served to them as that route's answers.
   */
  private Route unreserved(String namespace, Supplier<Route> inner) {
    if (namespace.equals(reserved)) {
      throw new ProblemException(
          ProblemCode.FORBIDDEN, "namespace '" + reserved + "' is reserved for the response cache");
    }
    return inner.get();
  }

  /**
   * Answers (as problem+json) every rejection under {@code /cache}, but only there: a string path
   * matcher matches a segment's prefix, and {@code /cache-report} belongs to someone else.
   */
  private Route wholeSegment(Supplier<Route> inner) {
    return extractUnmatchedPath(
        rest -> rest.isEmpty() || rest.startsWith("/") ? support.answered(inner) : reject());
  }

  private Route reading(Supplier<Route> inner) {
    return support.requirePermission(READ, inner);
  }

  private Route writing(Supplier<Route> inner) {
    return support.requirePermission(WRITE, inner);
  }

  private Route read(RequestContext context, String namespace, String key) {
    return optionalHeaderValueByName(
        "If-None-Match",
        ifNoneMatch ->
            onSuccess(
                cache.get(context, namespace, key),
                found ->
                    found
                        .map(entry -> answer(entry, ifNoneMatch))
                        .orElseThrow(() -> new ProblemException(ProblemCode.NOT_FOUND, "no entry for this key"))));
  }

  private Route answer(CacheEntry entry, Optional<String> ifNoneMatch) {
    List<HttpHeader> headers =
        List.of(EntityTags.header(entry.etag()), Ages.header(entry.storedAt()));
    if (ifNoneMatch.isPresent() && EntityTags.noneMatchHits(ifNoneMatch.get(), entry.etag())) {
      return complete(HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED).addHeaders(headers));
    }
    return complete(
        HttpResponse.create()
            .withEntity(HttpEntities.create(StoredContentTypes.parse(entry.contentType()), entry.value()))
            .addHeaders(headers));
  }

  /**
   * Checks everything the URI and headers say before reading the body, so a request refused
   * anyway is refused before its body is read.
   */
  private Route write(RequestContext context, String namespace, String key) {
    CacheKeys.namespace(namespace);
    CacheKeys.key(key, settings.maxKeyBytes());
    return extractRequest(
        request -> {
          Query query = request.getUri().query();
          PutOptions options =
              EntityTags.preconditions(
                  options(namespace, query.get("ttl"), query.get("tags")),
                  headerValue(request, "If-Match"),
                  headerValue(request, "If-None-Match"));
          String contentType = StoredContentTypes.of(request);
          return withSizeLimit(
              settings.maxValueBytes(),
              () ->
                  entity(
                      Unmarshaller.entityToByteString(),
                      body ->
                          onSuccess(
                              cache.put(context, namespace, key, new CacheValue(body.toArray(), contentType), options),
                              etag ->
                                  complete(
                                      HttpResponse.create()
                                          .withStatus(StatusCodes.NO_CONTENT)
                                          .addHeader(EntityTags.header(etag))))));
        });
  }

  private static Optional<String> headerValue(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  private PutOptions options(String namespace, Optional<String> ttl, Optional<String> tags) {
    PutOptions options =
        PutOptions.DEFAULT.withTags(CacheKeys.parseTags(tags.orElse(null), settings.maxTags()));
    if (ttl.isPresent()) {
      Duration parsed = Ttl.parse(ttl.get());
      Ttl.resolve(Optional.of(parsed), cache.settings(namespace));
      options = options.withTtl(parsed);
    }
    return options;
  }

  private Route remove(RequestContext context, String namespace, String key) {
    return onSuccess(cache.delete(context, namespace, key), existed -> complete(StatusCodes.NO_CONTENT));
  }

  private Route flush(RequestContext context, String namespace) {
    return onSuccess(cache.flush(context, namespace), count -> complete(StatusCodes.NO_CONTENT));
  }

  private Route invalidate(RequestContext context, String namespace) {
    return parameterOptional(
        "tag",
        tag -> {
          if (tag.isEmpty()) {
            throw new ProblemException(ProblemCode.INVALID_PARAMETER, "missing query parameter 'tag'");
          }
          return onSuccess(
              cache.invalidateTag(context, namespace, CacheKeys.tag(tag.get())),
              count -> completeOK(Map.of("invalidated", count), support.json().marshaller()));
        });
  }

  private Route stats(RequestContext context, String namespace) {
    return onSuccess(
        cache.stats(context, namespace),
        stats -> completeOK(statsView(stats), support.json().marshaller()));
  }

  private static Map<String, Long> statsView(CacheStats stats) {
    Map<String, Long> view = new LinkedHashMap<>();
    view.put("entries", stats.entries());
    view.put("bytes", stats.bytes());
    view.put("hits", stats.hits());
    view.put("misses", stats.misses());
    view.put("evictions", stats.evictions());
    view.put("expirations", stats.expirations());
    return view;
  }
}
