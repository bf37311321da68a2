package dev.troupe.platform.rooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.troupe.platform.NodeProcess;
import dev.troupe.platform.ThreeNodeCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rooms on three node processes sharing Cassandra (the shared {@link ThreeNodeCluster}), with
 * WebSocket clients on every node: every client sees one dense order of messages posted through
 * different nodes over HTTP and WebSocket; {@code kill -9} of the node hosting a room loses none
 * of its acknowledged messages, posting works again, live clients on the survivors fill the gap and
 * a client of the dead node resumes by {@code since} with exactly what it missed; the connections of
 * a crashed node leave the room's presence for everyone within a bound.
 *
 * <p>Rooms live in org {@code system}: {@code GET /cluster/entities} (sys-admin only) locates an
 * entity of the caller's own tenant. Figures go to {@code target/rooms-cluster-results.txt}.
 */
@ExtendWith(ThreeNodeCluster.Extension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoomsAcrossNodesIT {

  private static final String ORG = "system";
  private static final String PASSWORD = "rooms-test-password";
  /** Posts per source (HTTP and WebSocket of each of the three users) in the ordering test. */
  private static final int PER_SOURCE = 10;
  /** Acknowledged posts before the kill in the failover test. */
  private static final int BEFORE_KILL = 30;
  /** Acknowledged posts after the failover. */
  private static final int AFTER_FAILOVER = 10;
  /** How long live delivery (gap fills, head announcements included) may take. */
  private static final Duration DELIVERY = Duration.ofSeconds(30);
  /**
   * The bound for a crashed node's presences to leave: the cluster removes a killed node after
   * failure detection (~5 s) and the split-brain resolver's stable-after (3 s for the test nodes).
   */
  private static final Duration PRESENCE_LEAVE_BOUND = Duration.ofSeconds(30);

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<RoomsSocket> sockets = new ArrayList<>();

  /** An acknowledged post: who sent which body, and the timestamp the room gave it. */
  private record Sent(String sender, JsonNode body, JsonNode timestamp) {}

  @AfterEach
  void closeSockets() {
    sockets.forEach(RoomsSocket::close);
  }

  @Test
  @Order(1)
  void clientsOnEveryNodeSeeTheSameDenseOrderOfPostsThroughEveryNode(ThreeNodeCluster cluster) throws Exception {
    String room = "order-" + run;
    RoomsHttp admin = RoomsHttp.admin(cluster.node(1));
    RoomsHttp.Reply created = admin.putRoom(cluster.node(1), room, Map.of());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    List<RoomsHttp> users = users(cluster, admin, "ann", "bob", "cat");

    // One WebSocket client per node, each a different user.
    List<RoomsSocket> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RoomsSocket client = open(users.get(i), cluster.node(i + 1));
      JsonNode ack = client.joined(room, null);
      assertThat(ack.path("head").asLong(-1)).as("head on join: %s", ack).isZero();
      clients.add(client);
    }

    // All at once: each user posts over HTTP through the next node and over its WebSocket.
    ConcurrentMap<Long, Sent> acked = new ConcurrentHashMap<>();
    List<CompletableFuture<?>> posts = new ArrayList<>();
    Instant firstSent = Instant.now();
    for (int i = 0; i < PER_SOURCE; i++) {
      for (int u = 0; u < 3; u++) {
        RoomsHttp user = users.get(u);
        NodeProcess through = cluster.node((u + 1) % 3 + 1);
        ObjectNode httpBody = body("http", user.username() + " via " + through.name(), i);
        posts.add(
            user.postAsync(through, room, httpBody, null)
                .thenAccept(reply -> acknowledge(acked, reply, httpBody, user.username())));
        RoomsSocket client = clients.get(u);
        ObjectNode wsBody = body("ws", client.toString(), i);
        posts.add(client.post(room, wsBody).thenAccept(ack -> acknowledge(acked, ack, wsBody, user.username())));
      }
    }
    CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    Instant allAcked = Instant.now();
    long total = 6L * PER_SOURCE;
    assertThat(new TreeSet<>(acked.keySet())).as("acknowledged offsets").isEqualTo(range(1, total));

    // Every client sees every message; a last post flushes whatever could still come late.
    for (RoomsSocket client : clients) {
      awaitOffset(client, room, total);
    }
    Instant allDelivered = Instant.now();
    ObjectNode lastBody = body("http", "last", 0);
    RoomsHttp.Reply last = users.get(1).post(cluster.node(2), room, lastBody, null);
    acknowledge(acked, last, lastBody, users.get(1).username());
    assertThat(last.json().path("offset").asLong()).isEqualTo(total + 1);
    for (RoomsSocket client : clients) {
      awaitOffset(client, room, total + 1);
      assertExactly(client, room, range(1, total + 1), acked);
    }
    // The same frames on every node, and the same in the journal.
    for (int i = 1; i < clients.size(); i++) {
      assertThat(clients.get(i).messages(room)).as("%s vs %s", clients.get(i), clients.get(0)).isEqualTo(clients.get(0).messages(room));
    }
    assertHistory(users.get(2), cluster.node(3), room, total + 1, acked);

    record("%s rooms order: %d posts (HTTP through 3 nodes, WebSocket on 3 nodes) acknowledged %d ms after the"
            + " first was sent, all delivered to the 3 clients after %d ms; one dense order everywhere",
        Instant.now(), total, Duration.between(firstSent, allAcked).toMillis(),
        Duration.between(firstSent, allDelivered).toMillis());
  }

  @Test
  @Order(2)
  void killingTheRoomsHostLosesNoAcknowledgedMessageAndClientsResume(ThreeNodeCluster cluster) throws Exception {
    NodeProcess oldest = cluster.node(1);
    RoomsHttp admin = RoomsHttp.admin(oldest);

    // A room hosted on node 2 or 3: killing the oldest would also move the shard coordinator,
    // which is not what this test measures.
    String found = null;
    NodeProcess host = null;
    for (int i = 0; i < 24 && host == null; i++) {
      String candidate = "failover-" + run + "-" + i;
      RoomsHttp.Reply created = admin.putRoom(oldest, candidate, Map.of());
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      NodeProcess at = admin.host(cluster, oldest, candidate).orElse(null);
      if (at != null && at != oldest) {
        found = candidate;
        host = at;
      }
    }
    assertThat(host).as("a room hosted on node 2 or 3").isNotNull();
    String room = found;
    NodeProcess killed = host;
    NodeProcess other = cluster.nodes().stream().filter(n -> n != killed && n != oldest).findFirst().orElseThrow();
    List<NodeProcess> survivors = List.of(oldest, other);
    List<RoomsHttp> users = users(cluster, admin, "ann", "bob", "cat");
    RoomsHttp ann = users.get(0);
    RoomsHttp bob = users.get(1);
    RoomsHttp cat = users.get(2);

    // Live clients on the survivors; cat's client is on the host and goes down with it.
    RoomsSocket annLive = open(ann, oldest);
    RoomsSocket bobLive = open(bob, other);
    RoomsSocket catOnHost = open(cat, killed);
    for (RoomsSocket client : List.of(annLive, bobLive, catOnHost)) {
      client.joined(room, null);
    }

    // Acknowledged posts through both survivors over HTTP, and over ann's WebSocket.
    ConcurrentMap<Long, Sent> acked = new ConcurrentHashMap<>();
    List<CompletableFuture<?>> posts = new ArrayList<>();
    for (int i = 0; i < BEFORE_KILL; i++) {
      if (i % 3 == 2) {
        ObjectNode body = body("ws", "before", i);
        posts.add(annLive.post(room, body).thenAccept(ack -> acknowledge(acked, ack, body, ann.username())));
      } else {
        RoomsHttp poster = i % 2 == 0 ? ann : bob;
        NodeProcess through = survivors.get(i % 2);
        ObjectNode body = body("http", "before via " + through.name(), i);
        posts.add(poster.postAsync(through, room, body, null).thenAccept(r -> acknowledge(acked, r, body, poster.username())));
      }
    }
    CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(new TreeSet<>(acked.keySet())).isEqualTo(range(1, BEFORE_KILL));
    assertThat(admin.host(cluster, oldest, room)).as("the room is still where we found it").contains(killed);

    // A few posts in flight while the host dies: those acknowledged count, the others may or may
    // not have been kept.
    List<CompletableFuture<RoomsHttp.Reply>> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      RoomsHttp poster = i % 2 == 0 ? ann : bob;
      ObjectNode body = body("http", "in flight", i);
      inFlight.add(
          poster.postAsync(survivors.get(i % 2), room, body, null)
              .whenComplete((reply, e) -> {
                if (reply != null && reply.status() == 201) {
                  acknowledge(acked, reply, body, poster.username());
                }
              }));
    }
    Instant killedAt = killed.kill9();
    System.out.printf("killed %s (pid %d) hosting room %s%n", killed.name(), killed.pid(), room);

    // The same post (one Idempotency-Key) through a survivor every 250 ms without waiting for the
    // last: the first 201 marks when the room took posts again.
    String probeKey = "probe-" + run;
    ObjectNode probeBody = body("http", "failover probe", 0);
    List<CompletableFuture<RoomsHttp.Reply>> probes = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<RoomsHttp.Reply> firstAccepted = new AtomicReference<>();
    await("room " + room + " takes posts again")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              probes.add(
                  bob.postAsync(other, room, probeBody, probeKey)
                      .whenComplete((reply, e) -> {
                        if (reply != null && reply.status() == 201) {
                          firstAccepted.compareAndSet(null, reply);
                        }
                      }));
              return firstAccepted.get() != null;
            });
    long failoverMillis = Duration.between(killedAt, firstAccepted.get().receivedAt()).toMillis();
    NodeProcess newHome = hostOrNull(admin, cluster, oldest, room);

    // Every probe answered: all that were accepted name one message, only one of them not replayed.
    CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).handle((x, e) -> null).get(30, TimeUnit.SECONDS);
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).handle((x, e) -> null).get(30, TimeUnit.SECONDS);
    List<RoomsHttp.Reply> accepted =
        probes.stream().filter(p -> !p.isCompletedExceptionally()).map(CompletableFuture::join).filter(r -> r.status() == 201).toList();
    long probeOffset = firstAccepted.get().json().path("offset").asLong();
    assertThat(accepted).allSatisfy(r -> assertThat(r.json().path("offset").asLong()).as(r.toString()).isEqualTo(probeOffset));
    assertThat(accepted.stream().filter(r -> !r.header("Idempotent-Replayed").orElse("").equals("true")).count())
        .as("probes that posted rather than replayed: %s", accepted)
        .isLessThanOrEqualTo(1);
    acknowledge(acked, firstAccepted.get(), probeBody, bob.username());

    // More posts through both survivors, over HTTP and ann's WebSocket.
    posts.clear();
    for (int i = 0; i < AFTER_FAILOVER; i++) {
      if (i % 2 == 0) {
        ObjectNode body = body("ws", "after", i);
        posts.add(annLive.post(room, body).thenAccept(ack -> acknowledge(acked, ack, body, ann.username())));
      } else {
        NodeProcess through = survivors.get(i / 2 % 2);
        ObjectNode body = body("http", "after via " + through.name(), i);
        posts.add(bob.postAsync(through, room, body, null).thenAccept(r -> acknowledge(acked, r, body, bob.username())));
      }
    }
    CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    // No acknowledged message lost: the journal read through a survivor has each with its body,
    // and nothing else but whatever in-flight posts made it, each once.
    List<JsonNode> history = ann.history(other, room);
    long head = history.isEmpty() ? 0 : history.get(history.size() - 1).path("offset").asLong();
    assertThat(history.stream().map(m -> m.path("offset").asLong()).toList())
        .as("history offsets via %s", other.name())
        .isEqualTo(List.copyOf(range(1, head)));
    Map<Long, JsonNode> byOffset = new HashMap<>();
    history.forEach(m -> byOffset.put(m.path("offset").asLong(), m));
    for (Map.Entry<Long, Sent> entry : new TreeMap<>(acked).entrySet()) {
      JsonNode kept = byOffset.get(entry.getKey());
      assertThat(kept).as("acknowledged offset %d in the history", entry.getKey()).isNotNull();
      assertThat(kept.path("body")).as("body of %d", entry.getKey()).isEqualTo(entry.getValue().body());
      assertThat(kept.path("sender").asText()).isEqualTo(entry.getValue().sender());
    }
    assertThat(history.stream().filter(m -> m.path("body").equals(probeBody)).count())
        .as("the retried probe is kept once")
        .isEqualTo(1);
    Map<Long, Sent> expected = new TreeMap<>();
    history.forEach(
        m -> expected.put(m.path("offset").asLong(), new Sent(m.path("sender").asText(), m.path("body"), m.path("timestamp"))));

    // Live clients on the survivors see everything, once and in order (gap fill / head
    // announcement for what the dead host published to nobody).
    for (RoomsSocket client : List.of(annLive, bobLive)) {
      awaitOffset(client, room, head);
    }
    Instant liveCaughtUp = Instant.now();

    // Cat's connection died with its node; cat reconnects to a survivor with `since` = the last
    // offset it saw and gets exactly what it missed.
    await("cat's connection to the killed node ends").atMost(Duration.ofSeconds(15)).until(catOnHost::isClosed);
    List<Long> seenBefore = catOnHost.offsets(room);
    long catLast = seenBefore.isEmpty() ? 0 : seenBefore.get(seenBefore.size() - 1);
    assertThat(seenBefore).as("cat before the kill").isEqualTo(List.copyOf(range(1, catLast)));
    RoomsSocket catResumed = open(cat, oldest);
    JsonNode resumedAck = catResumed.joined(room, catLast);
    assertThat(resumedAck.path("head").asLong()).as("head on resume: %s", resumedAck).isEqualTo(head);
    awaitOffset(catResumed, room, head);

    // Live again for everyone, the resumed client's own post included.
    ObjectNode lastBody = body("ws", "after resume", 0);
    JsonNode lastAck = catResumed.post(room, lastBody).get(30, TimeUnit.SECONDS);
    acknowledge(acked, lastAck, lastBody, cat.username());
    expected.put(head + 1, acked.get(head + 1));
    assertThat(lastAck.path("offset").asLong()).as(lastAck.toString()).isEqualTo(head + 1);
    for (RoomsSocket client : List.of(annLive, bobLive, catResumed)) {
      awaitOffset(client, room, head + 1);
    }
    assertExactly(annLive, room, range(1, head + 1), expected);
    assertExactly(bobLive, room, range(1, head + 1), expected);
    assertExactly(catResumed, room, range(catLast + 1, head + 1), expected);
    assertHistory(ann, oldest, room, head + 1, expected);

    int inFlightAcked = (int) inFlight.stream().filter(f -> !f.isCompletedExceptionally() && f.join().status() == 201).count();
    record("%s rooms failover: killed %s hosting room %s (%d acknowledged posts before, %d of 4 in flight"
            + " acknowledged); room took posts again after %d ms via %s (new home %s); live clients on the survivors"
            + " had all %d messages %d ms after the kill; cat resumed from %d on %s and got %d missed messages",
        Instant.now(), killed.name(), room, BEFORE_KILL, inFlightAcked, failoverMillis, other.name(),
        newHome == null ? "?" : newHome.name(), head, Duration.between(killedAt, liveCaughtUp).toMillis(), catLast,
        oldest.name(), head - catLast);
  }

  @Test
  @Order(3)
  void aCrashedNodesConnectionsLeaveThePresenceForEveryone(ThreeNodeCluster cluster) throws Exception {
    NodeProcess observerNode = cluster.node(1);
    NodeProcess shared = cluster.node(2);
    NodeProcess doomed = cluster.node(3);
    RoomsHttp admin = RoomsHttp.admin(observerNode);
    String room = "presence-" + run;
    RoomsHttp.Reply created = admin.putRoom(observerNode, room, Map.of());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    List<RoomsHttp> users = users(cluster, admin, "obs", "yul", "xen");
    RoomsHttp obs = users.get(0);
    RoomsHttp yul = users.get(1);
    RoomsHttp xen = users.get(2);

    RoomsSocket observer = open(obs, observerNode);
    observer.joined(room, null);
    RoomsSocket yulClient = open(yul, shared);
    yulClient.joined(room, null);
    RoomsSocket xenShared = open(xen, shared);
    xenShared.joined(room, null);
    RoomsSocket xenDoomed = open(xen, doomed);
    xenDoomed.joined(room, null);

    // Seen from the third node: xen once, with two metas on the two other nodes.
    AtomicReference<JsonNode> before = new AtomicReference<>();
    await("xen with two connections in the presence seen from " + observerNode.name())
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              JsonNode presence = admin.presence(observerNode, room);
              before.set(presence);
              assertThat(presence.path("count").asInt()).as("%s", presence).isEqualTo(3);
              assertThat(presence.path("connections").asInt()).as("%s", presence).isEqualTo(4);
              assertThat(metaNodes(presence.path("users").path(xen.username())))
                  .as("%s", presence)
                  .containsExactlyInAnyOrder(shared.address(), doomed.address());
            });
    JsonNode xenMetas = before.get().path("users").path(xen.username());
    for (JsonNode meta : xenMetas) {
      assertThat(meta.path("kind").asText()).as("%s", meta).isEqualTo("ws");
      assertThat(meta.path("connection").asText()).as("%s", meta).isNotEmpty();
      assertThat(meta.path("joinedAt").isMissingNode()).as("%s", meta).isFalse();
    }
    String doomedConnection = connectionOn(xenMetas, doomed);
    String sharedConnection = connectionOn(xenMetas, shared);
    Map<String, Set<String>> full =
        Map.of(
            obs.username(), connections(before.get().path("users").path(obs.username())),
            yul.username(), connections(before.get().path("users").path(yul.username())),
            xen.username(), Set.of(sharedConnection, doomedConnection));
    List<RoomsSocket> survivors = List.of(observer, yulClient, xenShared);
    for (RoomsSocket client : survivors) {
      await(client + " sees everyone (presence_state, then presence_diff frames)")
          .atMost(Duration.ofSeconds(15))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(presenceView(client, room)).isEqualTo(full));
    }

    // kill -9 the node of one of xen's connections; watch the cluster drop it meanwhile.
    Instant killedAt = doomed.kill9();
    System.out.printf("killed %s (pid %d) holding one of %s's connections%n", doomed.name(), doomed.pid(), xen.username());
    AtomicReference<Instant> removedAt = new AtomicReference<>();
    await("every surviving client sees the leave, and the cluster removes " + doomed.name())
        .atMost(PRESENCE_LEAVE_BOUND.plusSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              if (removedAt.get() == null && !admin.members(observerNode).contains(doomed.address())) {
                removedAt.set(Instant.now());
              }
              assertThat(removedAt.get()).as("removal of " + doomed.name()).isNotNull();
              for (RoomsSocket client : survivors) {
                assertThat(leaveOf(client, room, xen.username(), doomedConnection)).as("leave seen by %s", client).isNotNull();
              }
            });
    Map<String, Long> leaveMillis = new LinkedHashMap<>();
    for (RoomsSocket client : survivors) {
      RoomsSocket.Frame leave = leaveOf(client, room, xen.username(), doomedConnection);
      leaveMillis.put(client.toString(), Duration.between(killedAt, leave.at()).toMillis());
      JsonNode meta = leave.json().path("leaves").path(xen.username()).get(0);
      assertThat(meta.path("node").asText()).as("%s", leave.json()).isEqualTo(doomed.address());
    }
    long removalMillis = Duration.between(killedAt, removedAt.get()).toMillis();
    assertThat(Collections.max(leaveMillis.values()))
        .as("presence leave after the kill, per client %s", leaveMillis)
        .isLessThan(PRESENCE_LEAVE_BOUND.toMillis());

    // What everyone is left with: xen once, with the one connection on a live node.
    Map<String, Set<String>> after = new HashMap<>(full);
    after.put(xen.username(), Set.of(sharedConnection));
    for (RoomsSocket client : survivors) {
      assertThat(presenceView(client, room)).as("presence of %s", client).isEqualTo(after);
    }
    JsonNode presence = admin.presence(observerNode, room);
    assertThat(presence.path("count").asInt()).as("%s", presence).isEqualTo(3);
    assertThat(presence.path("connections").asInt()).as("%s", presence).isEqualTo(3);
    assertThat(metaNodes(presence.path("users").path(xen.username()))).as("%s", presence).containsExactly(shared.address());
    assertThat(xenShared.isClosed()).isFalse();

    record("%s rooms presence: killed %s holding one of xen's two connections; the cluster dropped it %d ms after"
            + " the kill (seen from %s); the leave reached the survivors after %s ms",
        Instant.now(), doomed.name(), removalMillis, observerNode.name(), leaveMillis);
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** Creates users of org {@code system} named {@code <name>-<run>}, each logged in through node 1. */
  private List<RoomsHttp> users(ThreeNodeCluster cluster, RoomsHttp admin, String... names) {
    List<RoomsHttp> users = new ArrayList<>();
    for (String name : names) {
      String username = name + "-" + run;
      admin.createUser(cluster.node(1), ORG, username, PASSWORD);
      users.add(RoomsHttp.login(cluster.node(1), username, PASSWORD, ORG));
    }
    return users;
  }

  /** Where the room lives now, for the report only (null when the location cannot be read). */
  private static NodeProcess hostOrNull(RoomsHttp admin, ThreeNodeCluster cluster, NodeProcess via, String room) {
    try {
      return admin.host(cluster, via, room).orElse(null);
    } catch (AssertionError | RuntimeException e) {
      return null;
    }
  }

  private RoomsSocket open(RoomsHttp user, NodeProcess node) {
    RoomsSocket socket = RoomsSocket.connect(user.username(), node, user.token());
    sockets.add(socket);
    return socket;
  }

  private static ObjectNode body(String via, String from, int n) {
    return RoomsHttp.JSON.createObjectNode().put("text", via + " " + from + " #" + n).put("via", via).put("n", n);
  }

  /** Records an HTTP 201 or a WebSocket ack as an acknowledged post; fails on anything else or a reused offset. */
  private static void acknowledge(ConcurrentMap<Long, Sent> acked, Object answer, JsonNode body, String sender) {
    JsonNode json;
    if (answer instanceof RoomsHttp.Reply reply) {
      assertThat(reply.status()).as("POST: %s", reply).isEqualTo(201);
      json = reply.json();
    } else {
      json = (JsonNode) answer;
      assertThat(json.path("type").asText()).as("post frame answered %s", json).isEqualTo("ack");
    }
    long offset = json.path("offset").asLong(0);
    assertThat(offset).as("offset in %s", json).isPositive();
    assertThat(json.path("sender").asText()).as("%s", json).isEqualTo(sender);
    Sent previous = acked.putIfAbsent(offset, new Sent(sender, body, json.path("timestamp")));
    assertThat(previous).as("offset %d acknowledged twice (%s)", offset, json).isNull();
  }

  private static void awaitOffset(RoomsSocket client, String room, long offset) {
    await(client + " receives offset " + offset + " of " + room)
        .atMost(DELIVERY)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(client.offsets(room)).as("offsets of %s", client).contains(offset));
  }

  /** The client got exactly these offsets, in order, once each, with the acknowledged sender, body and timestamp. */
  private static void assertExactly(RoomsSocket client, String room, Set<Long> offsets, Map<Long, Sent> expected) {
    List<JsonNode> messages = client.messages(room);
    assertThat(messages.stream().map(m -> m.path("offset").asLong()).toList())
        .as("offsets %s received (no gap, no duplicate, in order)", client)
        .isEqualTo(List.copyOf(offsets));
    for (JsonNode message : messages) {
      Sent sent = expected.get(message.path("offset").asLong());
      assertThat(sent).as("%s got %s", client, message).isNotNull();
      assertThat(message.path("body")).as("body in %s", message).isEqualTo(sent.body());
      assertThat(message.path("sender").asText()).as("sender in %s", message).isEqualTo(sent.sender());
      assertThat(message.path("timestamp").asText()).as("timestamp in %s", message).isEqualTo(sent.timestamp().asText());
    }
  }

  /** The journal through a node: offsets 1..head, each with its acknowledged sender, body and timestamp. */
  private static void assertHistory(RoomsHttp reader, NodeProcess node, String room, long head, Map<Long, Sent> expected) {
    List<JsonNode> history = reader.history(node, room);
    assertThat(history.stream().map(m -> m.path("offset").asLong()).toList())
        .as("history via %s", node.name())
        .isEqualTo(List.copyOf(range(1, head)));
    for (JsonNode message : history) {
      Sent sent = expected.get(message.path("offset").asLong());
      assertThat(message.path("body")).as("%s", message).isEqualTo(sent.body());
      assertThat(message.path("sender").asText()).as("%s", message).isEqualTo(sent.sender());
      assertThat(message.path("timestamp").asText()).as("%s", message).isEqualTo(sent.timestamp().asText());
    }
  }

  /**
   * What a client knows of the room's presence: its last {@code presence_state}, then every {@code
   * presence_diff} after it applied in order (user -> connection ids; a user without connections
   * is absent).
   */
  private static Map<String, Set<String>> presenceView(RoomsSocket client, String room) {
    List<RoomsSocket.Frame> frames =
        client.frames(f -> room.equals(f.room()) && (f.type().equals("presence_state") || f.type().equals("presence_diff")));
    Map<String, Set<String>> view = new HashMap<>();
    for (RoomsSocket.Frame frame : frames) {
      JsonNode json = frame.json();
      if (frame.type().equals("presence_state")) {
        view.clear();
        json.path("users").properties().forEach(e -> view.put(e.getKey(), new HashSet<>(connections(e.getValue()))));
      } else {
        json.path("joins").properties().forEach(
            e -> view.computeIfAbsent(e.getKey(), k -> new HashSet<>()).addAll(connections(e.getValue())));
        json.path("leaves").properties().forEach(
            e -> {
              Set<String> left = view.getOrDefault(e.getKey(), new HashSet<>());
              left.removeAll(connections(e.getValue()));
              if (left.isEmpty()) {
                view.remove(e.getKey());
              }
            });
      }
    }
    return view;
  }

  /** The first {@code presence_diff} the client got that has this connection of the user among the leaves. */
  private static RoomsSocket.Frame leaveOf(RoomsSocket client, String room, String user, String connection) {
    return client.frames("presence_diff", room).stream()
        .filter(f -> connections(f.json().path("leaves").path(user)).contains(connection))
        .findFirst()
        .orElse(null);
  }

  private static Set<String> connections(JsonNode metas) {
    Set<String> ids = new HashSet<>();
    metas.forEach(meta -> ids.add(meta.path("connection").asText()));
    return ids;
  }

  private static List<String> metaNodes(JsonNode metas) {
    List<String> nodes = new ArrayList<>();
    metas.forEach(meta -> nodes.add(meta.path("node").asText()));
    return nodes;
  }

  private static String connectionOn(JsonNode metas, NodeProcess node) {
    for (JsonNode meta : metas) {
      if (meta.path("node").asText().equals(node.address())) {
        return meta.path("connection").asText();
      }
    }
    throw new AssertionError("no meta on " + node.name() + " in " + metas);
  }

  private static Set<Long> range(long from, long to) {
    Set<Long> offsets = new TreeSet<>();
    LongStream.rangeClosed(from, to).forEach(offsets::add);
    return offsets;
  }

  private static void record(String format, Object... args) throws Exception {
    String line = String.format(format, args);
    System.out.println("ROOMS-CLUSTER " + line);
    Files.writeString(
        Path.of("target").toAbsolutePath().resolve("rooms-cluster-results.txt"),
        line + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
