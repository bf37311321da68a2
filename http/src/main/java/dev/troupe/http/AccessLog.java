package dev.troupe.http;

import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One log line per request (method, path, status, time to response headers, request id) when
 * {@code troupe.http.access-log = on}. With the node's JSON log format the fields arrive as
 * structured JSON. The request id also goes to the MDC so it joins the line.
 */
final class AccessLog extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger("troupe.access");

  private final boolean enabled;

  AccessLog(boolean enabled) {
    this.enabled = enabled;
  }

  Route around(String requestId, Supplier<Route> inner) {
    if (!enabled) {
      return inner.get();
    }
    return extractRequest(
        request -> {
          long start = System.nanoTime();
          return mapResponse(
              response -> {
                long micros = (System.nanoTime() - start) / 1_000;
                MDC.put("requestId", requestId);
                try {
                  log.info(
                      "{} {} {} {}us",
                      request.method().name(),
                      request.getUri().path(),
                      response.status().intValue(),
                      micros);
                } finally {
                  MDC.remove("requestId");
                }
                return response;
              },
              inner);
        });
  }
}
