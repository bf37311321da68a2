package dev.troupe.http.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.NodeRuntime;
import dev.troupe.http.extension.TroupeExtension;
import dev.troupe.persistence.TroupeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts in-JVM nodes for integration tests: real HTTP on a free port, real remoting on a free
 * port, a single-node cluster, and the test ledger extension.
 */
public final class TestNodes {

  /** The sys-admin every test node creates on its first start. */
  public static final String ADMIN_USER = "admin";

  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  private TestNodes() {}

  /** Settings every test node shares: free ports, no JVM exit, fast cluster decisions. */
  public static Config testOverrides() {
    return ConfigFactory.parseMap(
        Map.of(
            "troupe.http.port", 0,
            "pekko.remote.artery.canonical.port", 0,
            "troupe.cluster.management.enabled", false,
            "pekko.coordinated-shutdown.exit-jvm", false,
            "pekko.cluster.split-brain-resolver.stable-after", "2s",
            "troupe.http.drain-deadline", "2s",
            "troupe.identity.admin.username", ADMIN_USER,
            "troupe.identity.admin.password", ADMIN_PASSWORD,
            // Argon2id at its production cost would dominate test time; tests check the flow.
            "troupe.identity.passwords.memory-kib", 1024,
            "troupe.identity.passwords.iterations", 1));
  }

  /** A node on the embedded H2 journal in {@code dataDir}. */
  public static NodeRuntime h2(Path dataDir, Config extra) throws Exception {
    Config overrides =
        extra
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of("troupe.persistence.journal", "h2", "troupe.data-dir", dataDir.toString())))
            .withFallback(testOverrides());
    return NodeRuntime.start(TroupeConfig.load(overrides), List.of(new LedgerExtension()));
  }

  /** A node on the embedded H2 journal in {@code dataDir}, with more extensions beside the ledger. */
  public static NodeRuntime h2(Path dataDir, Config extra, List<TroupeExtension> more)
      throws Exception {
    Config overrides =
        extra
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of("troupe.persistence.journal", "h2", "troupe.data-dir", dataDir.toString())))
            .withFallback(testOverrides());
    List<TroupeExtension> extensions = new ArrayList<>();
    extensions.add(new LedgerExtension());
    extensions.addAll(more);
    return NodeRuntime.start(TroupeConfig.load(overrides), extensions);
  }

  /** A node on a running Cassandra whose schema exists. */
  public static NodeRuntime cassandra(String contactPoint, Config extra) throws Exception {
    Config overrides =
        extra
            .withFallback(
                ConfigFactory.parseMap(
                    Map.of(
                        "troupe.persistence.journal", "cassandra",
                        "troupe.persistence.cassandra.contact-points", List.of(contactPoint))))
            .withFallback(testOverrides());
    return NodeRuntime.start(TroupeConfig.load(overrides), List.of(new LedgerExtension()));
  }
}
