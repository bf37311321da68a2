package dev.troupe.http.identity.apikey;

import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.apikey.ApiKeyAdmin;
import dev.troupe.actors.identity.apikey.ApiKeys;
import dev.troupe.http.RouteSupport;
import dev.troupe.persistence.audit.RequestContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A project's API keys (its admins, the org's admins, sys-admins; never another key):
 *
 * <ul>
 *   <li>{@code POST /orgs/{org}/projects/{project}/api-keys} {@code {"name", "roles"?: [...],
 *       "scopes": {"routes": [...], "rooms": [...], "namespaces": [...]}, "expires_in"?: seconds}}:
 *       201 {@code {"id","key","prefix","name","roles","scopes","created_at","expires_at"}}; the key
 *       is shown only here
 *   <li>{@code GET .../api-keys}: 200 {@code {"api_keys": [{"id","prefix","name","roles","scopes",
 *       "created_at","created_by","expires_at","last_used_at","revoked_at"}]}}
 *   <li>{@code DELETE .../api-keys/{id}}: 204 (revokes; idempotent), 404 for an unknown id
 * </ul>
 */
public final class ApiKeyRoutes extends AllDirectives {

  private final RouteSupport support;
  private final ApiKeyAdmin keys;

  public ApiKeyRoutes(RouteSupport support) {
    this.support = support;
    this.keys = ApiKeys.get(support.system()).admin();
  }

  public Route route() {
    return pathPrefix(
        PathMatchers.segment("orgs").slash(PathMatchers.segment()).slash("projects").slash(PathMatchers.segment()).slash("api-keys"),
        (org, project) ->
            support.answered(
                () ->
                    support.withPrincipal(
                        principal ->
                            support.withContext(
                                context ->
                                    concat(
                                        pathEnd(
                                            () ->
                                                concat(
                                                    post(() -> create(principal, context, org, project)),
                                                    get(() -> list(principal, org, project)))),
                                        path(
                                            PathMatchers.segment(),
                                            id ->
                                                delete(
                                                    () ->
                                                        noContent(
                                                            keys.revoke(principal, context.requestId(), org, project, id)))))))));
  }

  private Route create(Principal principal, RequestContext context, String org, String project) {
    return body(
        ApiKeyJson.CreateRequest.class,
        request ->
            onSuccess(
                keys.create(principal, context.requestId(), org, project, request.request()),
                created ->
                    complete(StatusCodes.CREATED, ApiKeyJson.CreatedView.of(created), support.json().marshaller())));
  }

  private Route list(Principal principal, String org, String project) {
    return onSuccess(
        keys.list(principal, org, project),
        list ->
            completeOK(
                new ApiKeyJson.KeyList(list.stream().map(ApiKeyJson.KeyView::of).toList()),
                support.json().marshaller()));
  }

  private <T> Route body(Class<T> type, Function<T, Route> inner) {
    return entity(support.json().unmarshaller(type), inner);
  }

  private Route noContent(CompletionStage<?> done) {
    return onSuccess(done, ignored -> complete(StatusCodes.NO_CONTENT));
  }
}
