package dev.troupe.bench.load;

import com.typesafe.config.ConfigFactory;
import dev.troupe.actors.identity.password.PasswordHasher;
import dev.troupe.actors.identity.password.PasswordSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference for the login benchmark: how long one Argon2id check takes with Troupe's default
 * parameters ({@code troupe.identity.passwords}, the node's {@link PasswordHasher} itself), run
 * in the load generator's JVM on the client core, one at a time. Compared with the node's CPU per
 * login it shows how much of a login is the hash.
 */
final class HashCost {

  private HashCost() {}

  static Map<String, Object> measure(int warmup, int count) {
    PasswordSettings settings = PasswordSettings.from(ConfigFactory.load());
    PasswordHasher hasher = new PasswordHasher(settings, Runnable::run);
    String password = "bench-reference-password";
    String hash = hasher.hash(password).toCompletableFuture().join();
    for (int i = 0; i < warmup; i++) {
      hasher.verify(password, hash).toCompletableFuture().join();
    }
    List<Double> ms = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      long t0 = System.nanoTime();
      if (!hasher.verify(password, hash).toCompletableFuture().join()) {
        throw new IllegalStateException("the reference hash did not verify");
      }
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    Collections.sort(ms);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("memoryKib", settings.memoryKib());
    result.put("iterations", settings.iterations());
    result.put("parallelism", settings.parallelism());
    result.put("verifies", count);
    result.put("medianMs", PersistCommand.round(LoginLoad.percentile(ms, 0.5)));
    result.put("p90Ms", PersistCommand.round(LoginLoad.percentile(ms, 0.9)));
    System.out.printf("  Argon2id check alone (m=%d KiB, t=%d, p=%d), load generator JVM: median %.1f ms, p90 %.1f ms%n",
        settings.memoryKib(), settings.iterations(), settings.parallelism(), result.get("medianMs"), result.get("p90Ms"));
    return result;
  }
}
