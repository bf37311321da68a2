package dev.troupe.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.troupe.http.NodeRuntime;
import dev.troupe.http.testkit.TestHttp;
import dev.troupe.http.testkit.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started with {@code troupe.http.tls.mode = self-signed} (what {@code troupe start --tls}
 * sets), over real sockets: HTTPS with the generated certificate, HTTP/1.1 and HTTP/2 on one port,
 * a WebSocket over TLS, the printed fingerprint, and the certificate kept across a restart.
 */
class TlsHttpIT {

  @TempDir static Path dataDir;

  private static NodeRuntime node;
  private static X509Certificate generated;

  @BeforeAll
  static void startNode() throws Exception {
    node = start();
    generated = TlsClients.certIn(dataDir.resolve("tls/cert.pem"));
  }

  @AfterAll
  static void stopNode() throws Exception {
    stop(node);
  }

  @Test
  void servesHttp11AndHttp2OverTlsWithTheGeneratedCertificate() throws Exception {
    HttpResponse<String> h1 = TlsClients.get(TlsClients.client(generated, HttpClient.Version.HTTP_1_1), url("/health/live"));
    HttpResponse<String> h2 = TlsClients.get(TlsClients.client(generated, HttpClient.Version.HTTP_2), url("/health/live"));

    assertThat(h1.statusCode()).isEqualTo(200);
    assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(h2.statusCode()).isEqualTo(200);
    assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(TlsClients.presented(h2)).isEqualTo(generated);
    assertThat(h2.sslSession().orElseThrow().getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void theCertificateIsValidForLocalhostByName() throws Exception {
    HttpResponse<String> byName =
        TlsClients.get(
            TlsClients.client(generated, HttpClient.Version.HTTP_2),
            "https://localhost:" + node.httpPort() + "/health/live");

    assertThat(byName.statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() throws Exception {
    X509Certificate stranger =
        SelfSignedCertificate.generate(java.util.List.of("localhost", "127.0.0.1"), Duration.ofDays(1), java.time.Clock.systemUTC())
            .leaf();
    HttpClient client = TlsClients.client(stranger, HttpClient.Version.HTTP_1_1);

    assertThatThrownBy(() -> TlsClients.get(client, url("/health/live"))).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void plainHttpIsNotServedOnTheTlsPort() {
    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    assertThatThrownBy(
            () -> plain.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/health/live"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void webSocketsWorkOverTlsOnTheSamePort() throws Exception {
    HttpClient client = TlsClients.client(generated, HttpClient.Version.HTTP_2);
    HttpResponse<String> login =
        client.send(
            HttpRequest.newBuilder(URI.create(url("/auth/login")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"username\":\"" + TestNodes.ADMIN_USER + "\",\"password\":\"" + TestNodes.ADMIN_PASSWORD + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String token = TestHttp.JSON.readTree(login.body()).get("access_token").asText();
    CompletableFuture<String> firstFrame = new CompletableFuture<>();

    WebSocket socket =
        client
            .newWebSocketBuilder()
            .header("Authorization", "Bearer " + token)
            .buildAsync(
                URI.create("wss://127.0.0.1:" + node.httpPort() + "/ws"),
                new WebSocket.Listener() {
                  private final StringBuilder text = new StringBuilder();

                  @Override
                  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                      firstFrame.complete(text.toString());
                    }
                    webSocket.request(1);
                    return null;
                  }
                })
            .get(15, TimeUnit.SECONDS);
    socket.sendText("{\"type\":\"no-such-frame\"}", true).get(5, TimeUnit.SECONDS);

    JsonNode answer = TestHttp.JSON.readTree(firstFrame.get(15, TimeUnit.SECONDS));
    assertThat(answer.path("type").asText()).isEqualTo("error");
    socket.abort();
  }

  @Test
  void thePrintedFingerprintIsTheOneThePortPresents() throws Exception {
    HttpResponse<String> response = TlsClients.get(TlsClients.client(generated, HttpClient.Version.HTTP_1_1), url("/health/live"));
    String presented = Fingerprints.sha256(TlsClients.presented(response));

    String line = ServerTls.describe(node.system().settings().config()).orElseThrow();

    assertThat(line)
        .contains("self-signed")
        .contains(dataDir.resolve("tls/cert.pem").toString())
        .endsWith("sha256 Fingerprint=" + presented);
  }

  @Test
  void aRestartKeepsTheCertificate() throws Exception {
    // A second node on a copy of the TLS folder (the first keeps running for the other tests).
    Path otherData = dataDir.resolveSibling(dataDir.getFileName() + "-restart");
    java.nio.file.Files.createDirectories(otherData.resolve("tls"));
    for (String file : new String[] {"cert.pem", "key.pem"}) {
      java.nio.file.Files.copy(dataDir.resolve("tls").resolve(file), otherData.resolve("tls").resolve(file));
    }
    NodeRuntime second = TestNodes.h2(otherData, ConfigFactory.parseMap(Map.of("troupe.http.tls.mode", "self-signed")));
    try {
      HttpResponse<String> response =
          TlsClients.get(
              TlsClients.client(generated, HttpClient.Version.HTTP_1_1),
              "https://127.0.0.1:" + second.httpPort() + "/health/live");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(TlsClients.presented(response)).isEqualTo(generated);
      assertThat(TlsClients.certIn(otherData.resolve("tls/cert.pem"))).isEqualTo(generated);
    } finally {
      stop(second);
      deleteTree(otherData);
    }
  }

  private static NodeRuntime start() throws Exception {
    return TestNodes.h2(dataDir, ConfigFactory.parseMap(Map.of("troupe.http.tls.mode", "self-signed")));
  }

  private static String url(String path) {
    return "https://127.0.0.1:" + node.httpPort() + path;
  }

  static void stop(NodeRuntime runtime) throws Exception {
    if (runtime != null) {
      runtime.system().terminate();
      runtime.system().getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = java.nio.file.Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
