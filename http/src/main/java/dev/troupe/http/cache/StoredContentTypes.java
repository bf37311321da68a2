package dev.troupe.http.cache;

import dev.troupe.actors.cache.CacheException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * Content types between HTTP and the cache, which keeps them as text.
 *
 * <p>On the way in, the request's parsed {@code Content-Type} is stored as Pekko renders it; none
 * is {@code application/octet-stream}. A {@code Content-Type} Pekko could not parse is left among
 * the raw headers, and is refused (400) rather than stored as something the client did not send.
 * On the way out, a stored text that does not parse (a Java caller may store any printable text)
 * is answered as {@code application/octet-stream}, never as a failure.
 */
final class StoredContentTypes {

  /** What a body without a content type is stored as: the one place this default lives. */
  static final String DEFAULT = "application/octet-stream";

  // Parsing a content type costs more than a hit's other work; the distinct types in use are
  // few. Bounded so odd types from Java callers cannot grow it without end.
  private static final int MAX_REMEMBERED = 256;
  private static final Map<String, ContentType> PARSED = new ConcurrentHashMap<>();

  private StoredContentTypes() {}

  /** The content type to store for a request's body. */
  static String of(HttpRequest request) {
    for (HttpHeader header : request.getHeaders()) {
      if (header.is("content-type")) {
        throw CacheException.invalid("malformed Content-Type: " + printable(header.value()));
      }
    }
    return of(request.entity().getContentType());
  }

  /** The text to store for a parsed content type; none is {@value #DEFAULT}. */
  static String of(ContentType type) {
    return type.equals(ContentTypes.NO_CONTENT_TYPE) ? DEFAULT : type.toString();
  }

  /** The content type to answer a stored text with. */
  static ContentType parse(String stored) {
    ContentType known = PARSED.get(stored);
    if (known != null) {
      return known;
    }
    ContentType parsed;
    try {
      parsed = ContentTypes.parse(stored);
    } catch (RuntimeException e) {
      parsed = ContentTypes.APPLICATION_OCTET_STREAM;
    }
    if (PARSED.size() < MAX_REMEMBERED) {
      PARSED.put(stored, parsed);
    }
    return parsed;
  }

  private static String printable(String value) {
    String cut = value.length() > 100 ? value.substring(0, 100) : value;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
