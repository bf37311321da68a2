package dev.troupe.http.tls;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS side of the node's server: from {@code troupe.http.tls}, the connection context to
 * bind with (empty when TLS is off). In self-signed mode the development certificate is created or
 * reused; in pem mode the files are loaded (a bad pair stops the start) and polled for changes
 * until coordinated shutdown unbinds the server.
 */
public final class ServerTls {

  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  private ServerTls() {}

  public static Optional<HttpsConnectionContext> context(ActorSystem<?> system) {
    TlsSettings settings = TlsSettings.of(system.settings().config());
    return switch (settings.mode()) {
      case OFF -> Optional.empty();
      case SELF_SIGNED -> Optional.of(selfSigned(settings));
      case PEM -> Optional.of(pem(system, settings));
    };
  }

  /**
   * One line saying which certificate the node presents and its SHA-256 fingerprint (what {@code
   * troupe start} prints), read from the certificate file; empty when TLS is off.
   */
  public static Optional<String> describe(Config config) {
    TlsSettings settings = TlsSettings.of(config);
    return settings.presentedCertificate()
        .map(
            file -> {
              try {
                var leaf = PemKeyMaterial.readChain(Files.readAllBytes(file), file.toString()).get(0);
                return "TLS " + settings.mode().configName() + " certificate " + file
                    + " sha256 Fingerprint=" + Fingerprints.sha256(leaf);
              } catch (java.io.IOException | TlsSetupException e) {
                return "TLS " + settings.mode().configName() + " certificate " + file + " (unreadable: " + e.getMessage() + ")";
              }
            });
  }

  /** Checks the configured files without starting anything (startup validation). */
  public static void validate(Config config) {
    TlsSettings settings = TlsSettings.of(config);
    if (settings.mode() == TlsMode.PEM) {
      PemKeyMaterial.load(certFile(settings), keyFile(settings));
    }
  }

  private static Path certFile(TlsSettings settings) {
    return settings.certFile().orElseThrow(() -> new TlsSetupException(
        "troupe.http.tls.mode = pem needs troupe.http.tls.cert-file (--tls-cert, TROUPE_TLS_CERT)"));
  }

  private static Path keyFile(TlsSettings settings) {
    return settings.keyFile().orElseThrow(() -> new TlsSetupException(
        "troupe.http.tls.mode = pem needs troupe.http.tls.key-file (--tls-key, TROUPE_TLS_KEY)"));
  }

  private static HttpsConnectionContext selfSigned(TlsSettings settings) {
    SelfSignedCertificate.Result result =
        SelfSignedCertificate.ensure(
            settings.selfSignedDir(), settings.hosts(), settings.validity(), settings.renewBefore(), Clock.systemUTC());
    log.info(
        "HTTPS with the {} self-signed development certificate {} for {}: SHA-256 fingerprint {}, valid until {}",
        result.generated() ? "newly generated" : "existing",
        result.certFile(),
        settings.hosts(),
        result.material().fingerprint(),
        result.material().leaf().getNotAfter().toInstant());
    return ConnectionContext.httpsServer(sslContext(new ReloadingKeyManager(result.material())));
  }

  private static HttpsConnectionContext pem(ActorSystem<?> system, TlsSettings settings) {
    Path certFile = certFile(settings);
    Path keyFile = keyFile(settings);
    // One read: the reloader parses the files and records the digest of exactly those bytes.
    PemReloader reloader = new PemReloader(certFile, keyFile, Clock.systemUTC());
    PemKeyMaterial material = reloader.keyManager().material();
    // File reads are blocking: they run on the blocking dispatcher, never on the default one.
    // check() never throws, so the schedule is never cancelled by an exception; shutdown cancels it.
    Cancellable poll =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                settings.reloadInterval(),
                settings.reloadInterval(),
                reloader::check,
                system.dispatchers().lookup(DispatcherSelector.blocking()));
    CoordinatedShutdown.get(system)
        .addTask(
            CoordinatedShutdown.PhaseServiceUnbind(),
            "troupe-tls-reload-stop",
            () -> {
              poll.cancel();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
    PemReloads.get(system).register(reloader);
    log.info(
        "HTTPS with {} ({}), SHA-256 fingerprint {}, valid until {}; checking for new files every {}",
        certFile,
        material.leaf().getSubjectX500Principal(),
        material.fingerprint(),
        material.leaf().getNotAfter().toInstant(),
        settings.reloadInterval());
    return ConnectionContext.httpsServer(sslContext(reloader.keyManager()));
  }

  private static SSLContext sslContext(ReloadingKeyManager keyManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keyManager}, null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException("cannot create the TLS context: " + e.getMessage(), e);
    }
  }
}
