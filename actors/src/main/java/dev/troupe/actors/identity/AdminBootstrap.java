package dev.troupe.actors.identity;

import dev.troupe.actors.identity.account.Account;
import dev.troupe.actors.identity.org.Org;
import dev.troupe.persistence.audit.RequestContext;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Makes sure the node has a sys-admin: on the first start it creates the {@code system} org and the
 * configured admin account. Without a configured password it generates one, which the caller
 * prints once; later starts find the account and change nothing.
 */
final class AdminBootstrap {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final IdentityAsks asks;
  private final Directory directory;

  AdminBootstrap(IdentityAsks asks, Directory directory) {
    this.asks = asks;
    this.directory = directory;
  }

  /**
   * Creates the sys-admin if it does not exist yet.
   *
   * @return the generated password when one was generated and the account created now
   */
  CompletionStage<Optional<String>> ensure(String username, String configuredPassword) {
    if (!Names.valid(username)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("admin user must match " + Names.PATTERN));
    }
    boolean generate = configuredPassword == null || configuredPassword.isEmpty();
    String password = generate ? generatePassword() : configuredPassword;
    RequestContext context = new RequestContext("bootstrap", "troupe", Names.SYSTEM_ORG);
    String org = Names.SYSTEM_ORG;
    return asks.<Org.Command, Org.View>askStatus(asks.ref(Org.KIND, org, org), reply -> new Org.Create(context, "System", reply))
        .exceptionally(e -> null)
        .thenCompose(
            ignored ->
                asks.<Org.Command, Boolean>ask(asks.ref(Org.KIND, org, org), reply -> new Org.HasUser(username, reply)))
        .thenCompose(
            exists -> {
              if (exists) {
                return asks.<Account.Command, Account.Credentials>ask(
                        asks.ref(Account.KIND, org, username),
                        reply -> new Account.GetCredentials(java.time.Instant.now(), reply))
                    .thenApply(credentials -> credentials.exists());
              }
              return CompletableFuture.completedFuture(false);
            })
        .thenCompose(
            exists -> {
              if (exists) {
                return CompletableFuture.completedFuture(Optional.<String>empty());
              }
              return directory
                  .addAccount(context, org, new NewAccount(username, password, Set.of(Roles.SYS_ADMIN)))
                  .thenApply(done -> generate ? Optional.of(password) : Optional.<String>empty());
            });
  }

  private static String generatePassword() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
