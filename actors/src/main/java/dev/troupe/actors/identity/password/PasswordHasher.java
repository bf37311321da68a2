package dev.troupe.actors.identity.password;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Hashes and checks passwords with Argon2id ({@code troupe.identity.passwords}), always on the
 * {@code troupe.identity.crypto-dispatcher}, never on an actor's thread.
 *
 * <p>A login for an unknown user is checked against a dummy hash made with the same parameters
 * ({@link #verifyUnknownUser}), so it costs as much as one for a known user.
 */
public final class PasswordHasher implements Extension {

  /** The dispatcher hashing runs on. */
  public static final String CRYPTO_DISPATCHER = "troupe.identity.crypto-dispatcher";

  /** Length of the Argon2 output, in bytes. */
  public static final int OUTPUT_LENGTH = 32;

  /** Length of the random salt, in bytes. */
  public static final int SALT_LENGTH = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final PasswordSettings settings;
  private final Argon2Function function;
  private final Executor executor;
  private final CompletableFuture<String> dummyHash;
  private final Semaphore inFlight;

  private PasswordHasher(ActorSystem<?> system) {
    this(
        PasswordSettings.from(system.settings().config()),
        system.dispatchers().lookup(DispatcherSelector.fromConfig(CRYPTO_DISPATCHER)));
  }

  /** A hasher with the given settings, running on the given executor. */
  public PasswordHasher(PasswordSettings settings, Executor executor) {
    this.settings = settings;
    this.executor = executor;
    this.inFlight = new Semaphore(settings.maxInFlight());
    this.function =
        Argon2Function.getInstance(
            settings.memoryKib(),
            settings.iterations(),
            settings.parallelism(),
            OUTPUT_LENGTH,
            Argon2.ID);
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String unguessable = Base64.getEncoder().encodeToString(secret);
    this.dummyHash = CompletableFuture.supplyAsync(() -> hashNow(unguessable), executor);
  }

  public static PasswordHasher get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /**
   * Why a new password is refused, if it is: missing, shorter than {@code min-length} or longer
   * than {@code max-length} characters.
   */
  public Optional<String> policyViolation(String password) {
    if (password == null || password.isEmpty()) {
      return Optional.of("password is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < settings.minLength()) {
      return Optional.of(
          "password must have at least " + settings.minLength() + " characters");
    }
    if (length > settings.maxLength()) {
      return Optional.of(
          "password must have at most " + settings.maxLength() + " characters");
    }
    return Optional.empty();
  }

  /**
   * The Argon2id hash (PHC string, parameters and salt included) of a password that meets the
   * policy; fails with {@link IllegalArgumentException} otherwise.
   */
  public CompletionStage<String> hash(String password) {
    Optional<String> violation = policyViolation(password);
    if (violation.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(violation.get()));
    }
    return bounded(() -> hashNow(password));
  }

  /**
   * Whether the password matches the hash, checked with the parameters stored in the hash (so
   * hashes made before a cost change still verify). False for a malformed hash or an overlong
   * password.
   */
  public CompletionStage<Boolean> verify(String password, String hash) {
    if (password == null || hash == null || tooLong(password)) {
      // Same cost as a real check, so an overlong password does not tell whether a user exists.
      return verifyUnknownUser(password);
    }
    return bounded(() -> check(password, hash));
  }

  /**
   * Does the work of {@link #verify} against a dummy hash and answers false: what a login for an
   * unknown user costs.
   */
  public CompletionStage<Boolean> verifyUnknownUser(String password) {
    String candidate = password == null || tooLong(password) ? "" : password;
    return dummyHash.thenCompose(
        dummy ->
            bounded(
                () -> {
                  check(candidate, dummy);
                  return false;
                }));
  }

  /**
   * Runs hashing work on the crypto dispatcher, at most {@code max-in-flight} at once: beyond that
   * the stage fails with {@link BusyException} at once instead of queueing work no client waits for.
   */
  private <T> CompletionStage<T> bounded(Supplier<T> work) {
    if (!inFlight.tryAcquire()) {
      return CompletableFuture.failedFuture(new BusyException());
    }
    try {
      CompletableFuture<T> result = CompletableFuture.supplyAsync(work, executor);
      result.whenComplete((value, error) -> inFlight.release());
      return result;
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  /** Too many password checks are queued on this node; the caller should retry shortly. */
  public static final class BusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BusyException() {
      super("too many password checks in progress; retry shortly", null, false, false);
    }
  }

  /** The dummy hash unknown users are checked against (for tests). */
  CompletionStage<String> dummyHash() {
    return dummyHash;
  }

  /** The Argon2 function new hashes are made with. */
  Argon2Function function() {
    return function;
  }

  private boolean tooLong(String password) {
    // Bounds the work an attacker can cause; a char count is enough for that.
    return password.length() > 2 * settings.maxLength();
  }

  private String hashNow(String password) {
    return Password.hash(password).addRandomSalt(SALT_LENGTH).with(function).getResult();
  }

  private static boolean check(String password, String hash) {
    try {
      return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static final class Id extends ExtensionId<PasswordHasher> {
    static final Id INSTANCE = new Id();

    @Override
    public PasswordHasher createExtension(ActorSystem<?> system) {
      return new PasswordHasher(system);
    }
  }
}
