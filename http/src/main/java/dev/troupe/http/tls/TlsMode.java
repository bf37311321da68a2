package dev.troupe.http.tls;

import com.typesafe.config.Config;
import java.util.Locale;

/**
 * How the HTTP server secures its port ({@code troupe.http.tls.mode}). Anything other than {@link
 * #OFF} means HTTPS (and HTTP/2) on the node's one port; other parts (HSTS, Secure cookies) read
 * {@link #isOn(Config)}.
 */
public enum TlsMode {
  /** Plain HTTP. */
  OFF("off"),
  /** A development certificate generated once in {@code <data-dir>/tls/}. */
  SELF_SIGNED("self-signed"),
  /** A PEM certificate chain and key from files, reloaded when they change. */
  PEM("pem");

  /** The config path of the mode. */
  public static final String PATH = "troupe.http.tls.mode";

  private final String configName;

  TlsMode(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The mode named in {@code troupe.http.tls.mode} of a node's root config. */
  public static TlsMode of(Config config) {
    return parse(config.getString(PATH));
  }

  /** Whether the node serves HTTPS. */
  public static boolean isOn(Config config) {
    return of(config) != OFF;
  }

  public static TlsMode parse(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (TlsMode mode : values()) {
      if (mode.configName.equals(wanted)) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        PATH + " = \"" + name + "\" is not one of off, self-signed, pem");
  }
}
