package dev.troupe.http.identity;

import dev.troupe.actors.identity.Directory;
import dev.troupe.actors.identity.Identity;
import dev.troupe.actors.identity.NewAccount;
import dev.troupe.actors.identity.Principal;
import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.org.Org;
import dev.troupe.http.RouteSupport;
import dev.troupe.http.identity.IdentityJson.MemberRoles;
import dev.troupe.http.identity.IdentityJson.MemberView;
import dev.troupe.http.identity.IdentityJson.NewOrg;
import dev.troupe.http.identity.IdentityJson.NewProject;
import dev.troupe.http.identity.IdentityJson.NewUser;
import dev.troupe.http.identity.IdentityJson.OrgView;
import dev.troupe.http.identity.IdentityJson.PasswordChange;
import dev.troupe.http.identity.IdentityJson.UserView;
import dev.troupe.persistence.audit.RequestContext;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Tenancy: orgs, their projects, their accounts and project membership.
 *
 * <ul>
 *   <li>{@code POST /orgs} {@code {"name","display_name"?,"admin"?:{"username","password"}}} (sys-admin): 201
 *   <li>{@code GET /orgs/{org}}; {@code POST /orgs/{org}/projects} {@code {"name"}} (org-admin): 201
 *   <li>{@code POST /orgs/{org}/users} {@code {"username","password","roles"?}} (org-admin): 201;
 *       {@code GET /orgs/{org}/users/{user}} (the user or an org-admin)
 *   <li>{@code PUT /orgs/{org}/users/{user}/password} {@code {"current_password"?,"new_password"}}: 204;
 *       {@code POST .../disable} and {@code .../enable} (org-admin): 204
 *   <li>{@code PUT /orgs/{org}/projects/{project}/members/{user}} {@code {"roles":[...]}} and {@code
 *       DELETE} of the same (org-admin or the project's admin)
 * </ul>
 *
 * Another org's resources are 404 for everyone but sys-admins, whether they exist or not.
 */
public final class OrgRoutes extends AllDirectives {

  private final RouteSupport support;
  private final Directory directory;

  public OrgRoutes(RouteSupport support) {
    this.support = support;
    this.directory = Identity.get(support.system()).directory();
  }

  public Route route() {
    return pathPrefix(
        "orgs",
        () ->
            support.withPrincipal(
                principal ->
                    support.withContext(
                        context ->
                            concat(
                                pathEnd(() -> post(() -> createOrg(principal, context))),
                                pathPrefix(PathMatchers.segment(), org -> inOrg(principal, context, org))))));
  }

  private Route inOrg(Principal principal, RequestContext context, String org) {
    return concat(
        pathEnd(() -> get(() -> ok(directory.getOrg(principal, org).thenApply(OrgRoutes::view)))),
        path(
            "projects",
            () ->
                post(
                    () ->
                        body(
                            NewProject.class,
                            p -> created(directory.createProject(principal, context.requestId(), org, p.name()).thenApply(OrgRoutes::view))))),
        pathPrefix(
            "projects",
            () ->
                pathPrefix(
                    PathMatchers.segment().slash("members").slash(PathMatchers.segment()),
                    (project, user) ->
                        pathEnd(
                            () ->
                                concat(
                                    put(
                                        () ->
                                            body(
                                                MemberRoles.class,
                                                roles ->
                                                    ok(
                                                        directory
                                                            .setMemberRoles(principal, context.requestId(), org, project, user,
                                                                roles.roles() == null ? Set.of() : roles.roles())
                                                            .thenApply(view -> member(user, project, view))))),
                                    delete(
                                        () ->
                                            noContent(
                                                directory.setMemberRoles(
                                                    principal, context.requestId(), org, project, user, Set.of()))))))),
        path(
            "users",
            () ->
                post(
                    () ->
                        body(
                            NewUser.class,
                            u ->
                                created(
                                    directory
                                        .createUser(principal, context.requestId(), org, account(u))
                                        .thenApply(view -> view(org, view)))))),
        pathPrefix(
            "users",
            () ->
                pathPrefix(
                    PathMatchers.segment(),
                    user ->
                        concat(
                            pathEnd(() -> get(() -> ok(directory.getUser(principal, org, user).thenApply(view -> view(org, view))))),
                            path(
                                "password",
                                () ->
                                    put(
                                        () ->
                                            body(
                                                PasswordChange.class,
                                                change ->
                                                    noContent(
                                                        directory.changePassword(
                                                            principal, context.requestId(), org, user,
                                                            change.currentPassword(), change.newPassword()))))),
                            path("disable", () -> post(() -> noContent(directory.setDisabled(principal, context.requestId(), org, user, true)))),
                            path("enable", () -> post(() -> noContent(directory.setDisabled(principal, context.requestId(), org, user, false))))))));
  }

  private Route createOrg(Principal principal, RequestContext context) {
    return body(
        NewOrg.class,
        o ->
            created(
                directory
                    .createOrg(
                        principal,
                        context.requestId(),
                        o.name(),
                        o.displayName(),
                        Optional.ofNullable(o.admin()).map(OrgRoutes::account))
                    .thenApply(OrgRoutes::view)));
  }

  private <T> Route body(Class<T> type, java.util.function.Function<T, Route> inner) {
    return entity(support.json().unmarshaller(type), inner);
  }

  private <T> Route ok(CompletionStage<T> value) {
    return onSuccess(value, v -> completeOK(v, support.json().marshaller()));
  }

  private <T> Route created(CompletionStage<T> value) {
    return onSuccess(value, v -> complete(StatusCodes.CREATED, v, support.json().marshaller()));
  }

  private Route noContent(CompletionStage<?> done) {
    return onSuccess(done, ignored -> complete(StatusCodes.NO_CONTENT));
  }

  private static NewAccount account(NewUser user) {
    return new NewAccount(user.username(), user.password() == null ? "" : user.password(), user.roles());
  }

  private static OrgView view(Org.View view) {
    return new OrgView(view.name(), view.displayName(), view.createdAt(), view.projects(), view.users());
  }

  private static UserView view(String org, Account.View view) {
    return new UserView(view.username(), org, view.createdAt(), view.disabled(), new TreeSet<>(view.orgRoles()), view.projectRoles());
  }

  private static MemberView member(String user, String project, Account.RoleView view) {
    return new MemberView(user, project, view.projectRoles().getOrDefault(project, Set.of()));
  }

}
