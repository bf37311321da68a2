package dev.troupe.platform;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.troupe.persistence.testkit.SharedCassandra;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Three node processes on loopback sharing the test JVM's Cassandra ({@link SharedCassandra},
 * whose schema exists before any node starts): node 1 forms the cluster, nodes 2 and 3 join it.
 *
 * <p>Started once per test JVM and shared by every test class that asks for it with {@code
 * @ExtendWith(ThreeNodeCluster.Extension.class)} and a {@code ThreeNodeCluster} parameter. Before
 * each handout, a node a test killed is restarted (only that one); the cluster stops when the test
 * run ends (JUnit closes the root store), or at JVM exit at the latest.
 */
public final class ThreeNodeCluster implements AutoCloseable {

  /** Resolves {@code ThreeNodeCluster} parameters to the one shared, fully running cluster. */
  public static final class Extension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(ThreeNodeCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == ThreeNodeCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      ThreeNodeCluster cluster =
          context
              .getRoot()
              .getStore(NAMESPACE)
              .getOrComputeIfAbsent(ThreeNodeCluster.class, key -> ThreeNodeCluster.start(), ThreeNodeCluster.class);
      return cluster.ensureAllRunning();
    }
  }

  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final String contactPoint;
  private final List<NodeProcess> nodes = new ArrayList<>();

  private ThreeNodeCluster(String contactPoint) {
    this.contactPoint = contactPoint;
  }

  /** Starts Cassandra (if this JVM has none yet) and the three nodes, all at once. */
  static ThreeNodeCluster start() {
    Instant begin = Instant.now();
    String contactPoint = SharedCassandra.contactPoint();
    System.out.printf("Cassandra at %s after %d ms%n", contactPoint, Duration.between(begin, Instant.now()).toMillis());
    ThreeNodeCluster cluster = new ThreeNodeCluster(contactPoint);
    try {
      NodeProcess first = NodeProcess.start(NodeProcess.Spec.of("node-1", cluster.journalArgs()));
      cluster.nodes.add(first);
      // The joiners start with the first node: they retry the join until it listens.
      for (int i = 2; i <= 3; i++) {
        cluster.nodes.add(
            NodeProcess.start(NodeProcess.Spec.of("node-" + i, cluster.joinArgs(first.joinAddress()))));
      }
      awaitAllReady(cluster.nodes);
      cluster.awaitMembersUp(cluster.nodes);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
    System.out.printf(
        "three-node cluster up after %d ms: %s%n", Duration.between(begin, Instant.now()).toMillis(), cluster.nodes);
    return cluster;
  }

  /** Node 1, 2 or 3 (the current process of that node). */
  public synchronized NodeProcess node(int number) {
    return nodes.get(number - 1);
  }

  public synchronized List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  /** The node with this cluster address ({@code pekko://troupe@127.0.0.1:<port>}). */
  public synchronized Optional<NodeProcess> byAddress(String address) {
    return nodes.stream().filter(n -> n.address().equals(address)).findFirst();
  }

  public String contactPoint() {
    return contactPoint;
  }

  /**
   * Restarts every node whose process is gone (new ports: a new incarnation), joining a live
   * node, and waits until it is ready and every live node sees three members Up.
   */
  public synchronized ThreeNodeCluster ensureAllRunning() {
    List<NodeProcess> restarted = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeProcess node = nodes.get(i);
      if (node.isAlive()) {
        continue;
      }
      NodeProcess seed =
          nodes.stream()
              .filter(NodeProcess::isAlive)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("every node of the cluster is down"));
      NodeProcess.Spec spec =
          node.spec().withPorts(NodeProcess.Ports.free()).withExtraArgs(joinArgs(seed.joinAddress()));
      NodeProcess fresh = NodeProcess.start(spec);
      nodes.set(i, fresh);
      restarted.add(fresh);
    }
    if (!restarted.isEmpty()) {
      Instant begin = Instant.now();
      awaitAllReady(restarted);
      awaitMembersUp(nodes);
      System.out.printf(
          "restarted %s; cluster of three Up again after %d ms%n",
          restarted, Duration.between(begin, Instant.now()).toMillis());
    }
    return this;
  }

  /** Waits until every given node's {@code /cluster} lists exactly the current nodes, all Up. */
  public void awaitMembersUp(List<NodeProcess> observers) {
    List<String> expected = nodes.stream().map(NodeProcess::address).sorted().toList();
    for (NodeProcess observer : observers) {
      TestHttp http;
      try {
        http = TestHttp.shared().asAdmin(observer);
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("cannot log in to " + observer.name(), e);
      }
      await("members Up as seen by " + observer.name())
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                JsonNode members = http.get(observer.uri("/cluster"), Duration.ofSeconds(5)).json().path("members");
                List<String> up = new ArrayList<>();
                for (JsonNode member : members) {
                  if ("Up".equals(member.path("status").asText())) {
                    up.add(member.path("address").asText());
                  }
                }
                return members.size() == expected.size() && up.stream().sorted().toList().equals(expected);
              });
    }
  }

  /** SIGTERM to every node at once, then waits (each is killed after 15 s). */
  @Override
  public synchronized void close() {
    CompletableFuture.allOf(
            nodes.stream().map(n -> CompletableFuture.runAsync(n::close)).toArray(CompletableFuture[]::new))
        .join();
  }

  /**
   * Every node's arguments but the join: the shared journal, and the test extensions the cluster
   * tests call (the ledger comes with every node process, see {@link NodeProcess.Spec#mainArgs()}).
   */
  private List<String> journalArgs() {
    return List.of(
        "--journal", "cassandra", "--cassandra", contactPoint, "--extension", ComputeExtension.class.getName());
  }

  private List<String> joinArgs(String seed) {
    List<String> args = new ArrayList<>(journalArgs());
    args.add("--join");
    args.add(seed);
    return args;
  }

  private static void awaitAllReady(List<NodeProcess> nodes) {
    for (NodeProcess node : nodes) {
      node.awaitReady(READY_TIMEOUT);
    }
  }
}
