package dev.troupe.http.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the PEM files once at startup and then checks them for new content (a poll, not a file
 * watch: Kubernetes secret mounts swap a symlink that watchers miss), swapping parsed material into
 * its key manager. The digest recorded as seen is always that of the bytes that were parsed, so a
 * rotation that lands during startup is picked up by the next poll.
 *
 * <p>Material that does not parse, whose key does not match or whose certificate has expired is
 * logged once per content and the old material stays. A poll never throws: anything unexpected is
 * logged and the old material stays, so a scheduled poll is never cancelled by an exception.
 */
public final class PemReloader {

  private static final Logger log = LoggerFactory.getLogger(PemReloader.class);
  private static final byte[] UNREADABLE = {1};

  private final Path certFile;
  private final Path keyFile;
  private final Clock clock;
  private final ReloadingKeyManager keyManager;
  private final AtomicLong checks = new AtomicLong();
  private final AtomicLong rejections = new AtomicLong();
  private byte[] lastSeen;

  /** Reads and checks both files (a bad pair throws {@link TlsSetupException}). */
  public PemReloader(Path certFile, Path keyFile, Clock clock) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.clock = clock;
    byte[] certPem = PemKeyMaterial.read(certFile, "certificate");
    byte[] keyPem = PemKeyMaterial.read(keyFile, "key");
    PemKeyMaterial material = PemKeyMaterial.parse(certPem, certFile.toString(), keyPem, keyFile.toString());
    CertificateValidity.problem(material.leaf(), clock.instant()).ifPresent(problem -> log.warn("{}", problem));
    this.keyManager = new ReloadingKeyManager(material);
    this.lastSeen = digest(certPem, keyPem);
  }

  public ReloadingKeyManager keyManager() {
    return keyManager;
  }

  /** How many polls have completed (whatever their outcome). */
  public long checks() {
    return checks.get();
  }

  /** How many changed contents were refused (unparseable, mismatched, expired or failing oddly). */
  public long rejections() {
    return rejections.get();
  }

  /**
   * One poll; returns whether new material was swapped in. Never throws (except on a JVM error such
   * as OutOfMemoryError). Called from one thread at a time.
   */
  public synchronized boolean check() {
    try {
      return checkFiles();
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      rejections.incrementAndGet();
      log.warn("Checking the TLS files {} / {} failed unexpectedly; keeping the current certificate", certFile,
          keyFile, e);
      return false;
    } finally {
      checks.incrementAndGet();
    }
  }

  private boolean checkFiles() {
    byte[] certPem;
    byte[] keyPem;
    try {
      certPem = Files.readAllBytes(certFile);
      keyPem = Files.readAllBytes(keyFile);
    } catch (IOException e) {
      if (!Arrays.equals(UNREADABLE, lastSeen)) {
        log.warn("TLS files {} / {} cannot be read ({}); keeping the current certificate", certFile, keyFile, e.toString());
        lastSeen = UNREADABLE;
      }
      return false;
    }
    byte[] digest = digest(certPem, keyPem);
    if (Arrays.equals(digest, lastSeen)) {
      return false;
    }
    lastSeen = digest;
    PemKeyMaterial material;
    try {
      material = PemKeyMaterial.parse(certPem, certFile.toString(), keyPem, keyFile.toString());
    } catch (TlsSetupException e) {
      // Often a half-written pair (cert updated before key): the next change is tried again.
      rejections.incrementAndGet();
      log.warn("TLS files changed but cannot be used, keeping the current certificate: {}", e.getMessage());
      return false;
    }
    if (CertificateValidity.expired(material.leaf(), clock.instant())) {
      rejections.incrementAndGet();
      log.warn(
          "TLS files changed but the new certificate {} expired at {}; keeping the current certificate",
          material.leaf().getSubjectX500Principal(),
          material.leaf().getNotAfter().toInstant());
      return false;
    }
    keyManager.swap(material);
    log.info(
        "TLS certificate reloaded from {}: {} SHA-256 fingerprint {} valid until {}",
        certFile,
        material.leaf().getSubjectX500Principal(),
        material.fingerprint(),
        material.leaf().getNotAfter().toInstant());
    CertificateValidity.problem(material.leaf(), clock.instant()).ifPresent(problem -> log.warn("{}", problem));
    return true;
  }

  private static byte[] digest(byte[] cert, byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(cert);
      sha.update((byte) 0);
      sha.update(key);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
