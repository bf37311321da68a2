package dev.troupe.http.rooms;

import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves the JavaScript rooms client, publicly, at {@code GET /client/troupe.js} (no build step:
 * a page loads it with a script tag). It is a plain file from the classpath, so conditional
 * requests (Last-Modified) work; caches keep it for an hour and revalidate after that.
 */
public final class ClientScript extends AllDirectives {

  /** Where the script lives on the classpath. */
  public static final String RESOURCE = "troupe/client/troupe.js";

  private static final ContentType JAVASCRIPT =
      MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8);

  public Route route() {
    return path(
        PathMatchers.segment("client").slash("troupe.js"),
        () ->
            get(
                () ->
                    respondWithHeader(
                        CacheControl.create(
                            CacheDirectives.PUBLIC, CacheDirectives.MAX_AGE(3600)),
                        () -> getFromResource(RESOURCE, JAVASCRIPT, ClientScript.class.getClassLoader()))));
  }
}
