package dev.troupe.http.security;

import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The protections every request passes through at the root route. OWNED BY HELPER B.
 *
 * <p>{@link #outer} wraps the whole route (inside the request id, outside problem handling so
 * rejections, 401s, 429s and timeouts get the headers too): security headers, CORS (preflight
 * answered here, before authentication), the client address (trusted proxies), per-IP rate limits
 * (login group included). {@link #afterAuthentication} wraps the authenticated resource routes:
 * per-principal and per-API-key rate limits.
 */
public final class SecurityEdge extends AllDirectives {

  public SecurityEdge(ActorSystem<?> system) {}

  public Route outer(Supplier<Route> inner) {
    return inner.get(); // TODO helper B
  }

  public Route afterAuthentication(Supplier<Route> inner) {
    return inner.get(); // TODO helper B
  }
}
