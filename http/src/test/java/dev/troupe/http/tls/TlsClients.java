package dev.troupe.http.tls;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** JDK HTTP clients for TLS tests that trust exactly one certificate (an in-memory trust store). */
final class TlsClients {

  private TlsClients() {}

  static SSLContext trusting(X509Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  static X509Certificate certIn(Path pemFile) throws Exception {
    return PemKeyMaterial.readChain(Files.readAllBytes(pemFile), pemFile.toString()).get(0);
  }

  /** A fresh client (no cached TLS session) trusting {@code cert}. */
  static HttpClient client(X509Certificate cert, HttpClient.Version version) throws Exception {
    return HttpClient.newBuilder()
        .version(version)
        .sslContext(trusting(cert))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The leaf certificate the server presented in a response's handshake. */
  static X509Certificate presented(HttpResponse<?> response) throws Exception {
    return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
  }
}
