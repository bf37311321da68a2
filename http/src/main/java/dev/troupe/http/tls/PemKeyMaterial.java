package dev.troupe.http.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain (leaf first) and its private key, read from PEM: the chain as one or more
 * {@code CERTIFICATE} blocks, the key as PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE
 * KEY}) or SEC1 ({@code EC PRIVATE KEY}, also after an {@code EC PARAMETERS} block or certificates in
 * the same file). Encrypted keys and keys that do not belong to the leaf
 * certificate are refused with a message that says so.
 */
public record PemKeyMaterial(List<X509Certificate> chain, PrivateKey privateKey) {

  public PemKeyMaterial {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new TlsSetupException("a certificate chain needs at least one certificate");
    }
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /** The SHA-256 fingerprint of the leaf certificate. */
  public String fingerprint() {
    return Fingerprints.sha256(leaf());
  }

  /** Reads and checks both files. */
  public static PemKeyMaterial load(Path certFile, Path keyFile) {
    return parse(read(certFile, "certificate"), certFile.toString(), read(keyFile, "key"), keyFile.toString());
  }

  /** Parses PEM text; {@code certName}/{@code keyName} only name the sources in errors. */
  public static PemKeyMaterial parse(byte[] certPem, String certName, byte[] keyPem, String keyName) {
    List<X509Certificate> chain = readChain(certPem, certName);
    PrivateKey key = readKey(keyPem, keyName);
    PemKeyMaterial material = new PemKeyMaterial(chain, key);
    if (!keyMatches(key, material.leaf().getPublicKey())) {
      throw new TlsSetupException(
          "the TLS key " + keyName + " does not belong to the certificate " + certName
              + " (" + material.leaf().getSubjectX500Principal() + ")");
    }
    return material;
  }

  /** The certificates of a PEM file, leaf first. */
  public static List<X509Certificate> readChain(byte[] pem, String name) {
    try {
      List<X509Certificate> chain =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (chain.isEmpty()) {
        throw new TlsSetupException("the TLS certificate file " + name + " holds no certificate");
      }
      return chain;
    } catch (CertificateException e) {
      throw new TlsSetupException(
          "the TLS certificate file " + name + " is not a PEM certificate chain: " + e.getMessage(), e);
    }
  }

  private static PrivateKey readKey(byte[] pem, String name) {
    Object parsed = firstKeyObject(pem, name);
    if (parsed instanceof PKCS8EncryptedPrivateKeyInfo || parsed instanceof PEMEncryptedKeyPair) {
      throw new TlsSetupException(
          "the TLS key file " + name + " is encrypted; give the node an unencrypted key"
              + " (openssl pkey -in " + name + " -out key.pem) and protect the file instead (mode 600, a secret mount)");
    }
    PrivateKeyInfo info;
    if (parsed instanceof PrivateKeyInfo pkcs8) {
      info = pkcs8;
    } else if (parsed instanceof PEMKeyPair pair) {
      info = pair.getPrivateKeyInfo();
    } else {
      throw new TlsSetupException(
          "the TLS key file " + name + " holds no private key (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
              + (parsed == null ? "" : ", found " + parsed.getClass().getSimpleName()) + ")");
    }
    try {
      return new JcaPEMKeyConverter().getPrivateKey(info);
    } catch (IOException | RuntimeException e) {
      throw new TlsSetupException("the TLS key file " + name + " holds an unusable key: " + e.getMessage(), e);
    }
  }

  /**
   * The first PEM object that is (or may be) a key, skipping what can precede one: the {@code EC
   * PARAMETERS} block {@code openssl ecparam -genkey} writes first, and certificates in a combined
   * file. Null when there is none; the last skipped object's type when only such objects are there.
   */
  private static Object firstKeyObject(byte[] pem, String name) {
    Object skipped = null;
    try (PEMParser parser = new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
      for (Object parsed = parser.readObject(); parsed != null; parsed = parser.readObject()) {
        if (parsed instanceof ASN1ObjectIdentifier
            || parsed instanceof X9ECParameters
            || parsed instanceof X509CertificateHolder) {
          skipped = parsed;
          continue;
        }
        return parsed;
      }
    } catch (IOException | RuntimeException e) {
      throw new TlsSetupException("the TLS key file " + name + " is not a PEM private key: " + e.getMessage(), e);
    }
    return skipped;
  }

  /** Signs random bytes with the key and verifies them with the certificate's public key. */
  private static boolean keyMatches(PrivateKey key, PublicKey certKey) {
    if (!key.getAlgorithm().equals(certKey.getAlgorithm())) {
      return false;
    }
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default -> throw new TlsSetupException("unsupported TLS key algorithm " + key.getAlgorithm());
        };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certKey);
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      // RuntimeException: providers throw ProviderException for keys they cannot use.
      return false;
    }
  }

  /** The file's bytes; a missing or unreadable file is a {@link TlsSetupException} naming it. */
  static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsSetupException("the TLS " + what + " file " + file + " does not exist");
    } catch (IOException e) {
      throw new TlsSetupException("cannot read the TLS " + what + " file " + file + ": " + e.getMessage(), e);
    }
  }
}
