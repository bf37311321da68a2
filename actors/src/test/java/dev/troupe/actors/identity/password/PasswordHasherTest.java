package dev.troupe.actors.identity.password;

import static org.assertj.core.api.Assertions.assertThat;

import com.password4j.Argon2Function;
import com.password4j.types.Argon2;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Argon2id hashing with the configured cost, and the unknown-user path that costs the same. */
class PasswordHasherTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.provider = local")
              .withFallback(ConfigFactory.load()));

  private static final PasswordHasher hasher = PasswordHasher.get(testKit.system());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void hashesWithArgon2idAndTheConfiguredCost() throws Exception {
    String hash = await(hasher.hash("correct horse battery"));

    assertThat(hash).startsWith("$argon2id$");
    Argon2Function used = Argon2Function.getInstanceFromHash(hash);
    assertThat(used.getVariant()).isEqualTo(Argon2.ID);
    assertThat(used.getMemory()).isEqualTo(19456);
    assertThat(used.getIterations()).isEqualTo(2);
    assertThat(used.getParallelism()).isEqualTo(1);
  }

  @Test
  void verifiesTheRightPasswordOnly() throws Exception {
    String hash = await(hasher.hash("correct horse battery"));

    assertThat(await(hasher.verify("correct horse battery", hash))).isTrue();
    assertThat(await(hasher.verify("correct horse batterY", hash))).isFalse();
    assertThat(await(hasher.verify("", hash))).isFalse();
  }

  @Test
  void saltsEveryHash() throws Exception {
    assertThat(await(hasher.hash("same password"))).isNotEqualTo(await(hasher.hash("same password")));
  }

  @Test
  void malformedHashesNeverVerify() throws Exception {
    assertThat(await(hasher.verify("whatever1", "not-a-hash"))).isFalse();
    assertThat(await(hasher.verify("whatever1", "$argon2id$v=19$m=19456,t=2,p=1$AAAA"))).isFalse();
    assertThat(await(hasher.verify("whatever1", null))).isFalse();
  }

  @Test
  void unknownUsersCostAnArgon2Check() throws Exception {
    assertThat(await(hasher.verifyUnknownUser("some password"))).isFalse();
    assertThat(await(hasher.verifyUnknownUser(null))).isFalse();

    // The dummy hash is a real hash made with exactly the parameters of new hashes, so checking
    // it does the same work as checking a known user's password.
    String dummy = await(hasher.dummyHash());
    assertThat(dummy).startsWith("$argon2id$");
    assertThat(Argon2Function.getInstanceFromHash(dummy)).isEqualTo(hasher.function());
    String real = await(hasher.hash("some password"));
    assertThat(Argon2Function.getInstanceFromHash(real))
        .isEqualTo(Argon2Function.getInstanceFromHash(dummy));
  }

  @Test
  void policyBoundsLength() {
    assertThat(hasher.policyViolation(null)).isPresent();
    assertThat(hasher.policyViolation("")).isPresent();
    assertThat(hasher.policyViolation("short")).hasValueSatisfying(m -> assertThat(m).contains("8"));
    assertThat(hasher.policyViolation("x".repeat(257))).hasValueSatisfying(m -> assertThat(m).contains("256"));
    assertThat(hasher.policyViolation("eight ch")).isEmpty();
    assertThat(hasher.policyViolation("x".repeat(256))).isEmpty();
  }

  @Test
  void refusesToHashAPasswordThatBreaksThePolicy() {
    CompletableFuture<String> result = hasher.hash("short").toCompletableFuture();

    assertThat(result).isCompletedExceptionally();
    try {
      result.get();
    } catch (InterruptedException | ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void overlongPasswordsAreRefusedWithoutHashing() throws Exception {
    String hash = await(hasher.hash("correct horse battery"));

    assertThat(await(hasher.verify("x".repeat(100_000), hash))).isFalse();
  }
}
