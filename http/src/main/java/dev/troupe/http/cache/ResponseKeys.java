package dev.troupe.http.cache;

import dev.troupe.persistence.audit.RequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * The cache keys of the response cache: SHA-256 hex digests, so a key never exceeds the key limit
 * and says nothing about the request. The base key covers tenant, principal, method and path with
 * query; a variant key adds the values of the request headers named by the response's {@code
 * Vary}.
 */
final class ResponseKeys {

  private ResponseKeys() {}

  /**
   * The key without Vary values. The anonymous principal is hashed as a text no account name can
   * be, so it never shares entries with an account called {@value ResponseCache#ANONYMOUS}.
   */
  static String base(RequestContext context, boolean anonymous, HttpRequest request) {
    String target = request.getUri().path() + request.getUri().rawQueryString().map(q -> "?" + q).orElse("");
    String principal = anonymous ? "\u0001" + ResponseCache.ANONYMOUS : context.principal();
    return "r-" + sha256(context.tenant(), principal, request.method().name(), target);
  }

  /** The key of the variant these request headers (lowercase names, sorted) pick. */
  static String variant(String base, List<String> names, HttpRequest request) {
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
