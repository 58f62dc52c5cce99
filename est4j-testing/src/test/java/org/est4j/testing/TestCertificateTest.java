package org.est4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.est4j.protocol.pem.PemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificateTest {
  @TempDir Path dir;

  @Test
  void defaultsAreSelfSignedP256ForOneDay() throws Exception {
    Instant before = Instant.now();
    TestCertificate cert = TestCertificate.builder().commonName("alice").build();
    X509Certificate x509 = cert.certificate();

    assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=alice");
    assertThat(x509.getIssuerX500Principal()).isEqualTo(x509.getSubjectX500Principal());
    x509.verify(x509.getPublicKey());
    assertThat(x509.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize())
        .isEqualTo(256);
    assertThat(x509.getNotBefore().toInstant())
        .isBetween(before.minusSeconds(61).truncatedTo(ChronoUnit.SECONDS), before.minusSeconds(59));
    assertThat(Duration.between(before, x509.getNotAfter().toInstant()))
        .isBetween(Duration.ofHours(23), Duration.ofHours(24).plusSeconds(5));
    assertThat(x509.getBasicConstraints()).isEqualTo(-1);
    assertThat(x509.getKeyUsage()[0]).isTrue(); // digitalSignature
    assertThat(x509.getKeyUsage()[5]).isFalse(); // keyCertSign
    assertThat(cert.chain()).containsExactly(x509);
    assertThat(cert.trustAnchor()).isEqualTo(x509);
    assertThat(x509.getSerialNumber().signum()).isEqualTo(1);
  }

  @Test
  void defaultCommonNameIsRandom() {
    String a = TestCertificate.builder().build().certificate().getSubjectX500Principal().getName();
    String b = TestCertificate.builder().build().certificate().getSubjectX500Principal().getName();
    assertThat(a).startsWith("CN=").isNotEqualTo(b);
  }

  @Test
  void subjectAlternativeNamesAndExtendedKeyUsage() throws Exception {
    X509Certificate x509 =
        TestCertificate.builder()
            .subject(new X500Name("C=DE,O=est4j,CN=server")) // encoding order; Java prints reversed
            .addDnsName("localhost")
            .addIpAddress("127.0.0.1")
            .addIpAddress("::1")
            .addEmail("ops@example.org")
            .addUri("urn:est4j:test")
            .serverAuth()
            .clientAuth()
            .build()
            .certificate();

    assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=server,O=est4j,C=DE");
    assertThat(x509.getSubjectAlternativeNames())
        .containsExactly(
            List.of(2, "localhost"),
            List.of(7, "127.0.0.1"),
            List.of(7, "0:0:0:0:0:0:0:1"),
            List.of(1, "ops@example.org"),
            List.of(6, "urn:est4j:test"));
    assertThat(x509.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
  }

  @Test
  void keyAlgorithms() throws Exception {
    X509Certificate p384 = TestCertificate.builder().ec(384).build().certificate();
    assertThat(p384.getSigAlgName()).isEqualTo("SHA384withECDSA");
    X509Certificate p521 = TestCertificate.builder().ec(521).build().certificate();
    assertThat(p521.getSigAlgName()).isEqualTo("SHA512withECDSA");
    X509Certificate rsa = TestCertificate.builder().rsa(2048).build().certificate();
    assertThat(rsa.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(((RSAPublicKey) rsa.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
    assertThat(rsa.getKeyUsage()[2]).isTrue(); // keyEncipherment, for TLS 1.2 RSA key transport
    X509Certificate ed = TestCertificate.builder().ed25519().build().certificate();
    assertThat(ed.getSigAlgName()).isEqualTo("Ed25519");
    ed.verify(ed.getPublicKey());

    // A P-256 leaf under an RSA issuer is signed with the issuer's algorithm.
    TestCertificate rsaCa = TestCertificate.builder().rsa(2048).certificateAuthority(0).build();
    X509Certificate leaf = TestCertificate.builder().signedBy(rsaCa).build().certificate();
    assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withRSA");
    leaf.verify(rsaCa.keyPair().getPublic());
  }

  @Test
  void rejectsCallerMistakes() {
    assertThatThrownBy(() -> TestCertificate.builder().ec(255)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestCertificate.builder().rsa(1024)).hasMessageContaining("1024");
    assertThatThrownBy(() -> TestCertificate.builder().certificateAuthority(-1))
        .hasMessage("maxPathLen < 0: -1");
    Instant now = Instant.now();
    assertThatThrownBy(() -> TestCertificate.builder().validity(now, now))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestCertificate.builder().addIpAddress("localhost"))
        .hasMessageContaining("localhost");
  }

  @Test
  void chainValidatesWithPkix() throws Exception {
    TestCertificate root = TestCertificate.builder().commonName("Root").certificateAuthority(1).build();
    TestCertificate intermediate =
        TestCertificate.builder().commonName("Intermediate").certificateAuthority(0).signedBy(root).build();
    TestCertificate leaf =
        TestCertificate.builder().commonName("leaf").clientAuth().signedBy(intermediate).build();

    assertThat(root.certificate().getBasicConstraints()).isEqualTo(1);
    assertThat(intermediate.certificate().getBasicConstraints()).isEqualTo(0);
    assertThat(intermediate.certificate().getKeyUsage()[5]).isTrue(); // keyCertSign
    assertThat(leaf.chain()).containsExactly(leaf.certificate(), intermediate.certificate());
    assertThat(intermediate.chain()).containsExactly(intermediate.certificate());
    assertThat(leaf.trustAnchor()).isEqualTo(root.certificate());

    validate(leaf.chain(), root.certificate());
    // Another root with the same name must not validate it: signatures are really checked.
    TestCertificate impostor = TestCertificate.builder().commonName("Root").certificateAuthority(1).build();
    assertThatThrownBy(() -> validate(leaf.chain(), impostor.certificate()))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void expiredCertificateFailsPkix() throws Exception {
    TestCertificate root = TestCertificate.builder().certificateAuthority(0).build();
    Instant past = Instant.now().minus(Duration.ofDays(10));
    TestCertificate expired =
        TestCertificate.builder().validity(past, past.plus(Duration.ofDays(1))).signedBy(root).build();
    assertThatThrownBy(() -> validate(expired.chain(), root.certificate()))
        .isInstanceOf(CertPathValidatorException.class)
        .hasRootCauseInstanceOf(CertificateExpiredException.class);
  }

  @Test
  void chainValidatesWithOpensslVerify() throws Exception {
    ExternalTool.require("openssl");
    TestPki pki = TestPki.create();
    Files.writeString(dir.resolve("root.pem"), pki.root().certificatePem());
    Files.writeString(dir.resolve("intermediate.pem"), pki.intermediate().certificatePem());
    pki.server().writeTo(dir, "server");
    pki.newClient("device-1").writeTo(dir, "client");

    for (String leaf : List.of("server.pem", "client.pem")) {
      ExternalTool.Result result = ExternalTool.run(
          dir, "openssl", "verify", "-CAfile", "root.pem", "-untrusted", "intermediate.pem", leaf);
      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.output()).contains(leaf + ": OK");
    }
    ExternalTool.Result server = ExternalTool.run(dir, "openssl", "verify", "-CAfile", "root.pem",
        "-untrusted", "intermediate.pem", "-purpose", "sslserver", "server.pem");
    assertThat(server.exitCode()).as(server.output()).isZero();
    ExternalTool.Result wrongPurpose = ExternalTool.run(dir, "openssl", "verify", "-CAfile", "root.pem",
        "-untrusted", "intermediate.pem", "-purpose", "sslserver", "client.pem");
    assertThat(wrongPurpose.exitCode()).isNotZero();
    // openssl also reads the key back and finds it matches the certificate.
    ExternalTool.Result key = ExternalTool.run(dir, "openssl", "pkey", "-in", "server-key.pem", "-pubout");
    ExternalTool.Result pub = ExternalTool.run(dir, "openssl", "x509", "-in", "server.pem", "-noout", "-pubkey");
    assertThat(key.output()).isEqualTo(pub.output());
  }

  @Test
  void writesChainAndOwnerOnlyKey() throws Exception {
    TestPki pki = TestPki.create();
    TestCertificate client = pki.newClient("device-7");
    Path certFile = client.writeTo(dir, "device");
    Path keyFile = dir.resolve("device-key.pem");

    assertThat(certFile).isEqualTo(dir.resolve("device.pem"));
    assertThat(PemReader.readCertificates(certFile))
        .containsExactly(client.certificate(), pki.intermediate().certificate());
    assertThat(PemReader.readPrivateKey(keyFile, Optional.empty()).getEncoded())
        .isEqualTo(client.keyPair().getPrivate().getEncoded());
    assertThat(Files.readString(keyFile)).isEqualTo(client.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
      // Rewriting over a world-readable file still ends owner-only.
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
      client.writeTo(dir, "device");
      assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(Set.copyOf(PosixFilePermissions.fromString("rw-------")));
    }
    assertThat(PemReader.readCertificates(new StringReader(client.certificatePem())))
        .containsExactly(client.certificate());
    assertThatThrownBy(() -> client.writeTo(dir, "../escape")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void certifiesAGivenKeyPair() {
    TestCertificate first = TestCertificate.builder().build();
    TestCertificate second = TestCertificate.builder().keyPair(first.keyPair()).build();
    assertThat(second.certificate().getPublicKey()).isEqualTo(first.certificate().getPublicKey());
  }

  static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), params);
  }
}
