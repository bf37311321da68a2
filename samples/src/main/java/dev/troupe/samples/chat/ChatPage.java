package dev.troupe.samples.chat;

import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The chat page and its script and style, from the classpath: {@code GET /samples/chat/}
 * ({@code /samples/chat} redirects there so relative links work), {@code chat.js},
 * {@code chat.css}. Caches revalidate every time (Last-Modified), so a new build shows at once.
 */
final class ChatPage extends AllDirectives {

  private static final String FOLDER = "dev/troupe/samples/chat/web/";

  private static final Map<String, ContentType> FILES =
      Map.of(
          "index.html", MediaTypes.TEXT_HTML.toContentType(HttpCharsets.UTF_8),
          "chat.js", MediaTypes.APPLICATION_JAVASCRIPT.toContentType(HttpCharsets.UTF_8),
          "chat.css", MediaTypes.TEXT_CSS.toContentType(HttpCharsets.UTF_8));

  Route route() {
    return pathPrefix(
        PathMatchers.segment("samples").slash("chat"),
        () ->
            get(
                () ->
                    concat(
                        pathEnd(() -> redirect(Uri.create("/samples/chat/"), StatusCodes.MOVED_PERMANENTLY)),
                        pathSingleSlash(() -> file("index.html")),
                        path(
                            PathMatchers.segment(),
                            name -> FILES.containsKey(name) ? file(name) : reject()))));
  }

  private Route file(String name) {
    return respondWithHeader(
        CacheControl.create(CacheDirectives.NO_CACHE),
        () -> getFromResource(FOLDER + name, FILES.get(name), ChatPage.class.getClassLoader()));
  }
}
