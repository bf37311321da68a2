package dev.troupe.actors.identity;

import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.org.Org;
import dev.troupe.actors.identity.password.PasswordHasher;
import dev.troupe.cluster.StageFailures;
import dev.troupe.persistence.audit.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * Orgs, their projects, their accounts and project membership, with the access rules of {@link
 * Access} applied before any entity is asked. Role changes take effect in tokens at the next
 * refresh (at most one access-token lifetime); disabling an account or changing its password
 * revokes its sessions at once.
 */
public final class Directory {

  private final IdentityAsks asks;
  private final PasswordHasher hasher;
  private final SessionRevoker revoker;

  Directory(IdentityAsks asks, PasswordHasher hasher, SessionRevoker revoker) {
    this.asks = asks;
    this.hasher = hasher;
    this.revoker = revoker;
  }

  /** Creates an org (sys-admins only), optionally with its first org-admin. */
  public CompletionStage<Org.View> createOrg(
      Principal principal, String requestId, String name, String displayName, Optional<NewAccount> admin) {
    if (!Access.canCreateOrg(principal)) {
      return failed(IdentityException.forbidden("only a sys-admin creates orgs"));
    }
    if (!Names.valid(name) || Names.SYSTEM_ORG.equals(name)) {
      return failed(IdentityException.invalid("org name must match " + Names.PATTERN + " and not be 'system'"));
    }
    String display = displayName == null || displayName.isBlank() ? name : displayName.strip();
    if (display.length() > 200) {
      return failed(IdentityException.invalid("display_name is longer than 200 characters"));
    }
    Optional<String> adminProblem = admin.flatMap(a -> accountProblem(a, name));
    if (adminProblem.isPresent()) {
      return failed(IdentityException.invalid(adminProblem.get()));
    }
    RequestContext context = principal.context(requestId);
    CompletionStage<Org.View> created =
        asks.askStatus(asks.ref(Org.KIND, name, name), reply -> new Org.Create(context, display, reply));
    if (admin.isEmpty()) {
      return created;
    }
    NewAccount first =
        new NewAccount(admin.get().username(), admin.get().password(), Set.of(Roles.ORG_ADMIN));
    return created.thenCompose(
        view -> addAccount(context, name, first).thenCompose(done -> getOrg(principal, name)));
  }

  public CompletionStage<Org.View> getOrg(Principal principal, String org) {
    if (!Access.canSee(principal, org)) {
      return failed(IdentityException.notFound("org"));
    }
    return asks.askStatus(asks.ref(Org.KIND, org, org), Org.Get::new);
  }

  public CompletionStage<Org.View> createProject(Principal principal, String requestId, String org, String project) {
    if (!Access.canSee(principal, org)) {
      return failed(IdentityException.notFound("org"));
    }
    if (!Access.canManageOrg(principal, org)) {
      return failed(IdentityException.forbidden("only an org-admin creates projects"));
    }
    if (!Names.valid(project)) {
      return failed(IdentityException.invalid("project name must match " + Names.PATTERN));
    }
    return asks.askStatus(
        asks.ref(Org.KIND, org, org),
        reply -> new Org.CreateProject(principal.context(requestId), project, reply));
  }

  /** Creates an account in an org (its org-admins and sys-admins). */
  public CompletionStage<Account.View> createUser(Principal principal, String requestId, String org, NewAccount account) {
    if (!Access.canSee(principal, org)) {
      return failed(IdentityException.notFound("org"));
    }
    if (!Access.canManageOrg(principal, org)) {
      return failed(IdentityException.forbidden("only an org-admin creates accounts"));
    }
    Optional<String> problem = accountProblem(account, org);
    if (problem.isPresent()) {
      return failed(IdentityException.invalid(problem.get()));
    }
    RequestContext context = principal.context(requestId);
    return asks.askStatus(asks.ref(Org.KIND, org, org), Org.Get::new)
        .thenCompose(view -> addAccount(context, org, account))
        .thenCompose(done -> asks.askStatus(asks.ref(Account.KIND, org, account.username()), Account.Get::new));
  }

  public CompletionStage<Account.View> getUser(Principal principal, String org, String username) {
    if (!Access.canSee(principal, org)) {
      return failed(IdentityException.notFound("org"));
    }
    if (!Access.canReadUser(principal, org, username)) {
      return failed(IdentityException.forbidden("only the account's owner and org-admins read it"));
    }
    return existingUser(org, username)
        .thenCompose(ok -> asks.askStatus(asks.ref(Account.KIND, org, username), Account.Get::new));
  }

  /** Sets a user's roles in a project; an empty set removes the membership. */
  public CompletionStage<Account.RoleView> setMemberRoles(
      Principal principal, String requestId, String org, String project, String username, Set<String> roles) {
    if (!Access.canSee(principal, org)) {
      return failed(IdentityException.notFound("org"));
    }
    if (!Access.canManageMembers(principal, org, project)) {
      return failed(IdentityException.forbidden("only the project's admins and org-admins manage its members"));
    }
    for (String role : roles) {
      if (role == null || !Roles.PROJECT_ROLES.contains(role)) {
        return failed(IdentityException.invalid("unknown project role '" + role + "'; use " + Roles.PROJECT_ROLES));
      }
    }
    if (!Names.valid(username)) {
      return failed(IdentityException.notFound("user"));
    }
    return asks.askStatus(asks.ref(Org.KIND, org, org), Org.Get::new)
        .thenCompose(
            view -> {
              if (!view.projects().contains(project)) {
                throw IdentityException.notFound("project");
              }
              return existingUser(org, username);
            })
        .thenCompose(
            ok ->
                asks.askStatus(
                    asks.ref(Account.KIND, org, username),
                    reply -> new Account.SetProjectRoles(principal.context(requestId), project, Set.copyOf(roles), reply)));
  }

  /**
   * Changes a password. Whoever changes their own password must give the current one (a stolen
   * access token alone cannot take an account over), and wrong guesses count as failed logins;
   * org-admins may reset other accounts without it. Every session of the account ends, except the
   * caller's own when it changes its own password.
   */
  public CompletionStage<Done> changePassword(
      Principal principal, String requestId, String org, String username, String currentPassword, String newPassword) {
    return Logins.guarded(
        () -> {
          if (!Access.canSee(principal, org)) {
      return failed(IdentityException.notFound("org"));
    }
          boolean self = principal.org().equals(org) && principal.username().equals(username);
          if (!self && !Access.canManageOrg(principal, org)) {
            throw IdentityException.forbidden("only the account's owner and org-admins change its password");
          }
          Optional<String> policy = hasher.policyViolation(newPassword);
          if (policy.isPresent()) {
            throw IdentityException.invalid(policy.get());
          }
          RequestContext context = principal.context(requestId);
          CompletionStage<?> allowed =
              self ? currentPasswordChecked(context, org, username, currentPassword) : existingUser(org, username);
          var account = asks.ref(Account.KIND, org, username);
          return allowed
              .thenCompose(ok -> hasher.hash(newPassword))
              .thenCompose(hash -> asks.<Account.Command, List<String>>askStatus(account, reply -> new Account.ChangePassword(context, hash, reply)))
              .thenCompose(
                  sessions ->
                      revoker.revokeAll(
                          context,
                          org,
                          sessions.stream().filter(id -> !(self && id.equals(principal.sessionId()))).toList(),
                          "password-changed"));
        });
  }

  /** The owner's current password, checked like a login: locked out the same way, failures counted. */
  private CompletionStage<Done> currentPasswordChecked(
      RequestContext context, String org, String username, String currentPassword) {
    if (currentPassword == null || currentPassword.isEmpty()) {
      return failed(IdentityException.invalid("current_password is required to change your own password"));
    }
    var account = asks.ref(Account.KIND, org, username);
    return asks.<Account.Command, Account.Credentials>ask(account, reply -> new Account.BeginAttempt(Instant.now(), reply))
        .thenCompose(
            credentials -> {
              if (credentials.lockedUntil() != null) {
                Duration wait = Duration.between(Instant.now(), credentials.lockedUntil());
                throw new IdentityException(
                    IdentityException.Kind.LOCKED,
                    "too many failed attempts; try again later",
                    Duration.ofSeconds(Math.max(1, wait.toSeconds() + 1)));
              }
              return hasher.verify(currentPassword, credentials.passwordHash());
            })
        .thenCompose(
            ok -> {
              if (ok) {
                account.tell(new Account.EndAttempt(Instant.now()));
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              return asks.<Account.Command, Account.FailureRecorded>askStatus(
                      account, reply -> new Account.RecordFailure(context, Instant.now(), reply))
                  .thenApply(
                      recorded -> {
                        throw IdentityException.forbidden("current_password is wrong");
                      });
            });
  }

  /** Disables (revoking every session) or enables an account. Nobody disables themselves. */
  public CompletionStage<Done> setDisabled(
      Principal principal, String requestId, String org, String username, boolean disabled) {
    if (!Access.canSee(principal, org)) {
      return failed(IdentityException.notFound("org"));
    }
    if (!Access.canManageOrg(principal, org)) {
      return failed(IdentityException.forbidden("only an org-admin disables accounts"));
    }
    if (disabled && principal.org().equals(org) && principal.username().equals(username)) {
      return failed(IdentityException.invalid("an account cannot disable itself"));
    }
    RequestContext context = principal.context(requestId);
    return existingUser(org, username)
        .thenCompose(
            ok ->
                asks.<Account.Command, List<String>>askStatus(
                    asks.ref(Account.KIND, org, username), reply -> new Account.SetDisabled(context, disabled, reply)))
        .thenCompose(sessions -> revoker.revokeAll(context, org, sessions, "account-disabled"));
  }

  /** Registers the name in the org's directory, then creates the account with a hashed password. */
  CompletionStage<Done> addAccount(RequestContext context, String org, NewAccount account) {
    var orgRef = asks.ref(Org.KIND, org, org);
    var accountRef = asks.ref(Account.KIND, org, account.username());
    CompletionStage<Done> registered =
        asks.<Org.Command, Done>askStatus(orgRef, reply -> new Org.AddUser(context, account.username(), reply))
            .exceptionallyCompose(
                e -> {
                  // A name registered by an earlier attempt whose account was never created is
                  // completed now; an existing account stays a conflict.
                  Throwable cause = StageFailures.unwrap(e);
                  if (cause instanceof IdentityException refused
                      && refused.kind() == IdentityException.Kind.CONFLICT) {
                    return asks.<Account.Command, Account.Credentials>ask(
                            accountRef, reply -> new Account.GetCredentials(Instant.now(), reply))
                        .thenApply(
                            credentials -> {
                              if (credentials.exists()) {
                                throw new IdentityException(IdentityException.Kind.CONFLICT, "user already exists");
                              }
                              return Done.getInstance();
                            });
                  }
                  return CompletableFuture.failedFuture(cause);
                });
    return registered
        .thenCompose(done -> hasher.hash(account.password()))
        .thenCompose(
            hash ->
                asks.askStatus(
                    accountRef,
                    reply -> new Account.Create(context, hash, account.roles(), Instant.now(), reply)));
  }

  private CompletionStage<Boolean> existingUser(String org, String username) {
    if (!Names.valid(username)) {
      return failed(IdentityException.notFound("user"));
    }
    return asks.<Org.Command, Boolean>ask(asks.ref(Org.KIND, org, org), reply -> new Org.HasUser(username, reply))
        .thenApply(
            known -> {
              if (!known) {
                throw IdentityException.notFound("user");
              }
              return true;
            });
  }

  private Optional<String> accountProblem(NewAccount account, String org) {
    if (!Names.validAccount(account.username())) {
      return Optional.of("username must match " + Names.PATTERN + " and not start with " + Names.RESERVED_USER_PREFIX);
    }
    for (String role : account.roles()) {
      boolean allowed = Roles.ORG_ADMIN.equals(role) || (Roles.SYS_ADMIN.equals(role) && Names.SYSTEM_ORG.equals(org));
      if (!allowed) {
        return Optional.of("role '" + role + "' cannot be given to an account; use org-admin, or project roles");
      }
    }
    return hasher.policyViolation(account.password());
  }

  private static <T> CompletionStage<T> failed(Throwable e) {
    return CompletableFuture.failedFuture(e);
  }
}
