package dev.troupe.platform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags of {@code troupe start}. Each falls back to a {@code TROUPE_*} environment variable,
 * then to the config files ({@code application.conf}, then every module's {@code reference.conf}).
 */
public final class StartOptions {

  @Option(names = "--host", defaultValue = "${env:TROUPE_HOST}", description = "HTTP interface (default 127.0.0.1; env TROUPE_HOST)")
  String host;

  @Option(names = "--port", defaultValue = "${env:TROUPE_PORT}", description = "HTTP port (default 8080; env TROUPE_PORT)")
  Integer port;

  @Option(names = "--data-dir", defaultValue = "${env:TROUPE_DATA_DIR}", description = "folder of the embedded journal (default ./data; env TROUPE_DATA_DIR)")
  Path dataDir;

  @Option(names = "--node-name", defaultValue = "${env:TROUPE_NODE_NAME}", description = "name in audit records and logs (default host:remote-port; env TROUPE_NODE_NAME)")
  String nodeName;

  @Option(names = "--remote-port", defaultValue = "${env:TROUPE_REMOTE_PORT}", description = "cluster remoting port (default 25520; env TROUPE_REMOTE_PORT)")
  Integer remotePort;

  @Option(names = "--remote-host", defaultValue = "${env:TROUPE_REMOTE_HOST}", description = "cluster remoting host other nodes reach (default 127.0.0.1; env TROUPE_REMOTE_HOST)")
  String remoteHost;

  @Option(names = "--management-port", defaultValue = "${env:TROUPE_MANAGEMENT_PORT}", description = "Pekko Management port for /alive and /ready (default 8558; env TROUPE_MANAGEMENT_PORT)")
  Integer managementPort;

  @Option(names = "--journal", defaultValue = "${env:TROUPE_JOURNAL}", description = "h2 (embedded, default) or cassandra; env TROUPE_JOURNAL")
  String journal;

  @Option(names = "--cassandra", split = ",", description = "Cassandra contact points host:port (default 127.0.0.1:9042; env TROUPE_CASSANDRA, comma-separated)")
  List<String> cassandra = new ArrayList<>();

  @Option(names = "--join", split = ",", description = "remoting address host:port of a node to join; repeatable (env TROUPE_JOIN, comma-separated)")
  List<String> join = new ArrayList<>();

  @Option(names = "--metrics-port", defaultValue = "${env:TROUPE_METRICS_PORT}", description = "Prometheus scrape port (default 9095; env TROUPE_METRICS_PORT)")
  Integer metricsPort;

  @Option(names = "--no-metrics", description = "do not start Kamon and its Prometheus endpoint")
  boolean noMetrics;

  @Option(names = "--log-format", defaultValue = "${env:TROUPE_LOG_FORMAT}", description = "text (default) or json; env TROUPE_LOG_FORMAT")
  String logFormat;

  @Option(names = "--extension", split = ",", description = "class name of a TroupeExtension to start (adds to troupe.extensions)")
  List<String> extensions = new ArrayList<>();

  @Option(names = "--admin-user", defaultValue = "${env:TROUPE_ADMIN_USER}", description = "the sys-admin created on the first start (default admin; env TROUPE_ADMIN_USER)")
  String adminUser;

  @Option(names = "--admin-password", defaultValue = "${env:TROUPE_ADMIN_PASSWORD}", description = "the first sys-admin's password; prefer env TROUPE_ADMIN_PASSWORD (flags show in ps). Without one, the first start generates and prints it")
  String adminPassword;

  @Option(names = "--config", description = "an extra HOCON file layered over application.conf")
  Path configFile;

  @Option(names = "--tls", description = "serve HTTPS (and HTTP/2) with a self-signed development certificate kept in <data-dir>/tls; prints its SHA-256 fingerprint (env TROUPE_TLS=true)")
  boolean tls;

  @Option(names = "--tls-cert", description = "serve HTTPS with this PEM certificate chain, reloaded when it changes; needs --tls-key (env TROUPE_TLS_CERT)")
  Path tlsCert;

  @Option(names = "--tls-key", description = "the unencrypted PEM private key (RSA or EC) of --tls-cert (env TROUPE_TLS_KEY)")
  Path tlsKey;

  @Option(names = "--cluster-tls", defaultValue = "${env:TROUPE_CLUSTER_TLS}", description = "TLS between cluster nodes: off (default), keystore or pem; see troupe.cluster.tls-* (env TROUPE_CLUSTER_TLS)")
  String clusterTls;
}
