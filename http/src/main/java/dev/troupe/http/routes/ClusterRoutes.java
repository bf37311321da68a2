package dev.troupe.http.routes;

import dev.troupe.cluster.ClusterOverview;
import dev.troupe.cluster.ShardedTypes;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.problem.ProblemCode;
import dev.troupe.http.problem.ProblemException;
import dev.troupe.persistence.entity.EntityIds;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /cluster}: members with address, status, roles and the shards each hosts. {@code GET
 * /cluster/entities/{type}/{id}}: which member hosts an entity of the caller's tenant now.
 */
public final class ClusterRoutes extends AllDirectives {

  private final RouteSupport support;
  /** The permission that shows the cluster's topology; no built-in role but sys-admin has it. */
  public static final String CLUSTER_READ = "cluster.read";

  private final ClusterOverview overview;

  public ClusterRoutes(RouteSupport support) {
    this.support = support;
    this.overview = new ClusterOverview(support.system());
  }

  public Route route() {
    return pathPrefix(
        "cluster",
        () ->
            support.requirePermission(CLUSTER_READ, () -> concat(
                pathEnd(() -> get(() -> onSuccess(overview.view(), view -> completeOK(view, support.json().marshaller())))),
                path(
                    PathMatchers.segment("entities").slash(PathMatchers.segment()).slash(PathMatchers.segment()),
                    (type, id) -> get(() -> locate(type, id))))));
  }

  private Route locate(String type, String id) {
    return support.withContext(
        context -> {
          var key =
              ShardedTypes.get(support.system())
                  .find(type)
                  .orElseThrow(
                      () -> new ProblemException(ProblemCode.NOT_FOUND, "unknown entity type '" + type + "'"));
          String scoped = scopedId(context.tenant(), id);
          return onSuccess(
              overview.locate(key, scoped),
              location -> completeOK(location, support.json().marshaller()));
        });
  }

  static String scopedId(String tenant, String id) {
    try {
      return EntityIds.scoped(tenant, id);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemCode.INVALID_PARAMETER, e.getMessage());
    }
  }
}
