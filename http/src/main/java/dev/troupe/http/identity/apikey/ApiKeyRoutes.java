package dev.troupe.http.identity.apikey;

import dev.troupe.http.RouteSupport;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /orgs/{org}/projects/{project}/api-keys}. OWNED BY HELPER C. */
public final class ApiKeyRoutes extends AllDirectives {

  public ApiKeyRoutes(RouteSupport support) {}

  public Route route() {
    return reject(); // TODO helper C
  }
}
