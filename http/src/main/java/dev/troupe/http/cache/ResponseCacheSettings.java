package dev.troupe.http.cache;

import com.typesafe.config.Config;
import dev.troupe.actors.cache.CacheKeys;

/**
 * The response cache's settings ({@code troupe.cache.response-cache}) and the node's request
 * timeout, which bounds how long a miss may take to buffer the body it stores.
 *
 * @param namespace the namespace responses are stored in; reserved over HTTP (see {@link
 *     CacheRoutes})
 * @param maxBodyBytes the largest body stored
 * @param strictTimeoutMillis how long a body may take to arrive in full
 */
record ResponseCacheSettings(String namespace, long maxBodyBytes, long strictTimeoutMillis) {

  /**
   * Reads the settings.
   *
   * @throws dev.troupe.actors.cache.CacheException INVALID if the namespace is not a valid name
   */
  static ResponseCacheSettings from(Config config) {
    return new ResponseCacheSettings(
        CacheKeys.namespace(config.getString("troupe.cache.response-cache.namespace")),
        config.getBytes("troupe.cache.response-cache.max-body-size"),
        config.getDuration("pekko.http.server.request-timeout").toMillis());
  }
}
