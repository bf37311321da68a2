package dev.troupe.http.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

/** PEM chains and keys in the formats deployments hand over, and the bad inputs. */
class PemKeyMaterialTest {

  private static final PemKeyMaterial EC = SelfSignedCertificate.generate(List.of("localhost"), Duration.ofDays(1), Clock.systemUTC());

  @Test
  void readsAPkcs8EcKeyAndItsCertificate() throws Exception {
    PemKeyMaterial read = parse(pem(EC.leaf()), pkcs8(EC));

    assertThat(read.leaf()).isEqualTo(EC.leaf());
    assertThat(read.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readsASec1EcKeyWithItsCurve() throws Exception {
    ECPrivateKey key = (ECPrivateKey) EC.privateKey();
    byte[] publicKey =
        SubjectPublicKeyInfo.getInstance(EC.leaf().getPublicKey().getEncoded()).getPublicKeyData().getBytes();
    org.bouncycastle.asn1.sec.ECPrivateKey sec1 =
        new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), new DERBitString(publicKey), SECObjectIdentifiers.secp256r1);
    String keyPem = pemObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));

    assertThat(parse(pem(EC.leaf()), keyPem).privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readsAPkcs1RsaKeyAndAChainOfTwo() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    X509Certificate cert = selfSigned(pair, "SHA256withRSA");
    StringWriter keyPem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(keyPem)) {
      writer.writeObject(pair.getPrivate()); // BC writes JDK RSA keys as PKCS#1 "RSA PRIVATE KEY"
    }
    assertThat(keyPem.toString()).contains("BEGIN RSA PRIVATE KEY");

    PemKeyMaterial read = parse(pem(cert) + pem(EC.leaf()), keyPem.toString());

    assertThat(read.chain()).containsExactly(cert, EC.leaf());
    assertThat(read.privateKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void refusesAnEncryptedKey() throws Exception {
    var encryptor =
        new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
            .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
            .setPassword("secret".toCharArray()).build();
    String keyPem = pemObject(new JcaPKCS8Generator(EC.privateKey(), encryptor).generate());
    assertThat(keyPem).contains("BEGIN ENCRYPTED PRIVATE KEY");

    assertThatThrownBy(() -> parse(pem(EC.leaf()), keyPem))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("key.pem is encrypted");
  }

  @Test
  void refusesAKeyOfAnotherCertificate() {
    PemKeyMaterial other = SelfSignedCertificate.generate(List.of("localhost"), Duration.ofDays(1), Clock.systemUTC());

    assertThatThrownBy(() -> parse(pem(EC.leaf()), pkcs8(other)))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("key.pem does not belong to the certificate cert.pem");
  }

  @Test
  void refusesGarbageAndMissingFiles() {
    assertThatThrownBy(() -> parse(pem(EC.leaf()), "not a key"))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("key.pem holds no private key");
    assertThatThrownBy(() -> parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", pkcs8(EC)))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("cert.pem is not a PEM certificate chain");
    assertThatThrownBy(() -> parse("", pkcs8(EC)))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("cert.pem");
    assertThatThrownBy(() -> PemKeyMaterial.load(java.nio.file.Path.of("/nonexistent/c.pem"), java.nio.file.Path.of("/nonexistent/k.pem")))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("/nonexistent/c.pem does not exist");
  }

  @Test
  void fingerprintIsTheOpensslSha256Format() throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(EC.leaf().getEncoded());

    String fingerprint = Fingerprints.sha256(EC.leaf());

    assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    assertThat(fingerprint.replace(":", "")).isEqualTo(HexFormat.of().withUpperCase().formatHex(digest));
  }

  static PemKeyMaterial parse(String certPem, String keyPem) {
    return PemKeyMaterial.parse(
        certPem.getBytes(StandardCharsets.US_ASCII), "cert.pem", keyPem.getBytes(StandardCharsets.US_ASCII), "key.pem");
  }

  static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  static String pkcs8(PemKeyMaterial material) throws Exception {
    return pem(new JcaPKCS8Generator(material.privateKey(), null));
  }

  private static String pemObject(PemObject object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  static X509Certificate selfSigned(KeyPair pair, String signature) throws Exception {
    X500Name name = new X500Name("CN=rsa-test");
    var now = java.time.Instant.now();
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, java.util.Date.from(now.minusSeconds(60)),
        java.util.Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())));
  }

}
