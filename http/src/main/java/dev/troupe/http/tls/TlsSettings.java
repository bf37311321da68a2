package dev.troupe.http.tls;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code troupe.http.tls} block of a node's root config.
 *
 * @param mode off, self-signed or pem
 * @param certFile the PEM chain (pem mode)
 * @param keyFile the PEM private key (pem mode)
 * @param selfSignedDir where the development certificate lives ({@code <data-dir>/tls} unless set)
 * @param hosts the names the development certificate is valid for
 * @param validity how long a generated development certificate is valid
 * @param renewBefore a development certificate expiring within this is generated again
 * @param reloadInterval how often pem files are checked for changes
 */
public record TlsSettings(
    TlsMode mode,
    Optional<Path> certFile,
    Optional<Path> keyFile,
    Path selfSignedDir,
    List<String> hosts,
    Duration validity,
    Duration renewBefore,
    Duration reloadInterval) {

  public static TlsSettings of(Config config) {
    Config tls = config.getConfig("troupe.http.tls");
    String dir = tls.getString("self-signed.dir");
    Path selfSignedDir =
        dir.isBlank() ? Path.of(config.getString("troupe.data-dir"), "tls") : Path.of(dir);
    return new TlsSettings(
        TlsMode.of(config),
        path(tls.getString("cert-file")),
        path(tls.getString("key-file")),
        selfSignedDir,
        hostsFor(config.getString("troupe.http.host")),
        tls.getDuration("self-signed.validity"),
        tls.getDuration("self-signed.renew-before"),
        tls.getDuration("reload-interval"));
  }

  /** The certificate file the server presents in this mode, if any. */
  public Optional<Path> presentedCertificate() {
    return switch (mode) {
      case OFF -> Optional.empty();
      case SELF_SIGNED -> Optional.of(selfSignedDir.resolve(SelfSignedCertificate.CERT_FILE));
      case PEM -> certFile;
    };
  }

  /** localhost, 127.0.0.1 and the configured host unless it is a wildcard address. */
  static List<String> hostsFor(String configuredHost) {
    List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1"));
    String host = configuredHost.trim();
    boolean wildcard = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    if (!wildcard && !hosts.contains(host)) {
      hosts.add(host);
    }
    return List.copyOf(hosts);
  }

  private static Optional<Path> path(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(Path.of(value));
  }
}
