package dev.troupe.http.security;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code troupe.http.protections} (and whether TLS is on, for HSTS).
 *
 * @param enabled the master switch (benchmarks only)
 * @param trustedProxies peers whose {@code X-Forwarded-For} is believed
 * @param allowedOrigins exact {@code scheme://host[:port]} origins allowed cross-origin (lower
 *     case)
 * @param corsMaxAge how long a browser may cache a preflight answer
 * @param hsts whether to send {@code Strict-Transport-Security} (TLS on)
 * @param hstsValue its value
 * @param contentSecurityPolicy the CSP of {@code text/html} responses
 * @param rateLimits the token-bucket limits
 * @param maxConnectionsPerUser live WebSockets + room SSE streams one user may hold on a node
 * @param maxConnectionsPerIp the same per client address
 * @param connectionStartTimeout a counted connection that has not started by then is released
 * @param connectionRetryAfter the {@code Retry-After} of a connection refused past a cap
 */
record ProtectionSettings(
    boolean enabled,
    List<Cidr> trustedProxies,
    Set<String> allowedOrigins,
    Duration corsMaxAge,
    boolean hsts,
    String hstsValue,
    String contentSecurityPolicy,
    RateLimitSettings rateLimits,
    int maxConnectionsPerUser,
    int maxConnectionsPerIp,
    Duration connectionStartTimeout,
    Duration connectionRetryAfter) {

  /** Reads {@code troupe.http.protections} from the whole config. */
  static ProtectionSettings from(Config root) {
    Config c = root.getConfig("troupe.http.protections");
    String tlsMode =
        root.hasPath("troupe.http.tls.mode") ? root.getString("troupe.http.tls.mode") : "off";
    return new ProtectionSettings(
        c.getBoolean("enabled"),
        c.getStringList("trusted-proxies").stream().map(Cidr::parse).toList(),
        c.getStringList("cors.allowed-origins").stream()
            .map(ProtectionSettings::origin)
            .collect(Collectors.toUnmodifiableSet()),
        c.getDuration("cors.max-age"),
        !"off".equalsIgnoreCase(tlsMode.trim()),
        c.getString("headers.strict-transport-security"),
        c.getString("headers.content-security-policy"),
        RateLimitSettings.from(c.getConfig("rate-limits")),
        c.getInt("max-connections-per-user"),
        c.getInt("max-connections-per-ip"),
        c.getDuration("connection-start-timeout"),
        c.getDuration("connection-retry-after"));
  }

  /** An allowlisted origin: {@code scheme://host[:port]}, no path, lower case. */
  private static String origin(String configured) {
    String o = configured.trim().toLowerCase(Locale.ROOT);
    if (!o.matches("https?://[a-z0-9.\\-\\[\\]:]+") || o.endsWith("/")) {
      throw new IllegalArgumentException(
          "troupe.http.protections.cors.allowed-origins: '"
              + configured
              + "' is not scheme://host[:port]");
    }
    return o;
  }
}
