package dev.troupe.bench.node;

import dev.troupe.actors.cache.bucket.BucketEvent;
import dev.troupe.http.RouteSupport;
import dev.troupe.persistence.audit.Auditor;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.StringUnmarshallers;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * {@code GET /bench-meta/cache-event-size?bytes=N&key=K}: the serialized size, serializer id and
 * manifest of the journal event a cache PUT of an N-byte value under key K writes (a {@code
 * BucketEvent.Stored} without tags, nothing evicted), so the {@code cache-put} benchmark's raw
 * store baseline writes rows of the same shape and size.
 */
final class CacheEventSizeRoute extends AllDirectives {

  static final String CONTENT_TYPE = "application/octet-stream";

  private final RouteSupport support;

  CacheEventSizeRoute(RouteSupport support) {
    this.support = support;
  }

  Route route() {
    return path(
        PathMatchers.segment("bench-meta").slash("cache-event-size"),
        () ->
            get(
                () ->
                    parameter(
                        StringUnmarshallers.INTEGER,
                        "bytes",
                        bytes ->
                            parameter(
                                "key",
                                key -> support.withContext(context -> eventSize(context, bytes, key))))));
  }

  private Route eventSize(RequestContext context, int bytes, String key) {
    Instant now = Instant.now();
    BucketEvent.Stored event =
        new BucketEvent.Stored(
            Auditor.get(support.system()).record(context),
            key,
            new byte[Math.max(0, bytes)],
            CONTENT_TYPE,
            1_000,
            now,
            now.plus(Duration.ofHours(1)),
            List.of(),
            List.of(),
            List.of());
    Serialization serialization = SerializationExtension.get(Adapter.toClassic(support.system()));
    Serializer serializer = serialization.findSerializerFor(event);
    byte[] serialized = serializer.toBinary(event);
    return completeOK(
        new AppendRoutes.EventSize(serialized.length, serializer.identifier(), Serializers.manifestFor(serializer, event)),
        support.json().marshaller());
  }
}
