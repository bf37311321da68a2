package dev.troupe.http.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development certificate of {@code troupe start --tls}: an EC P-256 key and a self-signed
 * certificate for localhost, 127.0.0.1 and the configured host, kept as {@code cert.pem} and
 * {@code key.pem} (PKCS#8, mode 600) in one folder. Generated on the first start, reused while it
 * parses, covers the hosts and is not about to expire (a reused key's mode is narrowed back to 600).
 */
public final class SelfSignedCertificate {

  public static final String CERT_FILE = "cert.pem";
  public static final String KEY_FILE = "key.pem";

  private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** The material and whether this call generated it. */
  public record Result(PemKeyMaterial material, boolean generated, Path certFile) {}

  private SelfSignedCertificate() {}

  public static Result ensure(Path dir, List<String> hosts, Duration validity, Duration renewBefore, Clock clock) {
    Path certFile = dir.resolve(CERT_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      try {
        PemKeyMaterial existing = PemKeyMaterial.load(certFile, keyFile);
        if (reusable(existing.leaf(), hosts, clock.instant().plus(renewBefore))) {
          restrictToOwner(keyFile);
          return new Result(existing, false, certFile);
        }
      } catch (TlsSetupException e) {
        // Unreadable or mismatched leftovers: generate a fresh pair below.
      }
    }
    PemKeyMaterial fresh = generate(hosts, validity, clock);
    write(dir, fresh);
    return new Result(fresh, true, certFile);
  }

  /** A new EC P-256 key and certificate, valid from a minute ago for {@code validity}. */
  public static PemKeyMaterial generate(List<String> hosts, Duration validity, Clock clock) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      X500Name name = new X500Name("CN=troupe-dev,O=Troupe development certificate");
      Instant now = clock.instant();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name,
              new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofMinutes(1))),
              Date.from(now.plus(validity)),
              name,
              pair.getPublic());
      GeneralName[] names = hosts.stream().map(SelfSignedCertificate::generalName).toArray(GeneralName[]::new);
      builder.addExtension(
          org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false, new GeneralNames(names));
      builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          org.bouncycastle.asn1.x509.Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new PemKeyMaterial(List.of(cert), pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new TlsSetupException("cannot generate the development certificate: " + e.getMessage(), e);
    }
  }

  private static boolean reusable(X509Certificate cert, List<String> hosts, Instant mustBeValidAt) {
    if (!cert.getNotAfter().toInstant().isAfter(mustBeValidAt)) {
      return false;
    }
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      Set<String> names = new HashSet<>();
      if (sans != null) {
        sans.forEach(entry -> names.add(canonical(String.valueOf(entry.get(1)))));
      }
      return hosts.stream().map(SelfSignedCertificate::canonical).allMatch(names::contains);
    } catch (CertificateParsingException e) {
      return false;
    }
  }

  /**
   * One spelling per name: an IP address as the JDK prints it (the certificate's SANs come back as
   * {@code 0:0:0:0:0:0:0:1} where the host may be configured as {@code ::1}), a DNS name as is.
   */
  private static String canonical(String host) {
    if (isIp(host)) {
      try {
        return InetAddress.getByName(host).getHostAddress();
      } catch (IOException e) {
        return host;
      }
    }
    return host;
  }

  private static boolean isIp(String host) {
    return IPV4.matcher(host).matches() || host.contains(":");
  }

  private static GeneralName generalName(String host) {
    if (isIp(host)) {
      try {
        return new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress());
      } catch (IOException e) {
        throw new TlsSetupException("not an IP address: " + host, e);
      }
    }
    return new GeneralName(GeneralName.dNSName, host);
  }

  private static void write(Path dir, PemKeyMaterial material) {
    try {
      Files.createDirectories(dir);
      StringWriter key = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(key)) {
        // PKCS#8: a SEC1 key written from a JDK EC key would lack its curve and not read back.
        writer.writeObject(new JcaPKCS8Generator(material.privateKey(), null));
      }
      StringWriter cert = new StringWriter();
      try (JcaPEMWriter writer = new JcaPEMWriter(cert)) {
        writer.writeObject(material.leaf());
      }
      writeOwnerOnly(dir.resolve(KEY_FILE), key.toString());
      writeAtomically(dir.resolve(CERT_FILE), cert.toString());
    } catch (IOException e) {
      throw new TlsSetupException("cannot write the development certificate to " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * A reused key must still be readable by its owner only: wider permissions (a copy, a umask, a
   * chmod) are narrowed back to 600 with a warning.
   */
  private static void restrictToOwner(Path keyFile) {
    if (!keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    try {
      Set<PosixFilePermission> current = Files.getPosixFilePermissions(keyFile);
      if (!ownerOnly.containsAll(current)) {
        log.warn(
            "The development TLS key {} was readable by others ({}); setting it back to rw-------",
            keyFile,
            PosixFilePermissions.toString(current));
        Files.setPosixFilePermissions(keyFile, ownerOnly);
      }
    } catch (IOException e) {
      throw new TlsSetupException("cannot restrict the permissions of " + keyFile + ": " + e.getMessage(), e);
    }
  }

  /** Writes a file created with mode 600 from the start (no window where others may read it). */
  private static void writeOwnerOnly(Path file, String text) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (posix) {
      Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
      FileAttribute<Set<PosixFilePermission>> attribute = PosixFilePermissions.asFileAttribute(ownerOnly);
      try {
        Files.createFile(temp, attribute);
      } catch (FileAlreadyExistsException e) {
        throw new IOException("someone else is writing " + temp, e);
      }
    }
    Files.writeString(temp, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, text, StandardCharsets.US_ASCII);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
