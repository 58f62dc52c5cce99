package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.ASN1OctetString;
import org.est4j.protocol.Csr;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsrBuilderTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"rsa:2048", "rsa:3072", "rsa:4096", "ec:P-256", "ec:P-384", "ec:P-521", "ed25519"})
  void everyKeyTypeAndSanKindVerifies(String keyType) throws Exception {
    KeyPair key = KeyPairs.generate(keyType);
    byte[] der = CsrBuilder.create()
        .commonName("device-1").organization("Example Org").organizationalUnit("R&D").organizationalUnit("Lab")
        .country("DE").province("Berlin").locality("Berlin").streetAddress("Main St 1").postalCode("10115")
        .serialNumber("SN-42")
        .addDnsName("device-1.example").addEmail("ops@example.com").addIpAddress("192.0.2.7")
        .addIpAddress("2001:db8::7").addUri(URI.create("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"))
        .challengePassword("otp-1234".toCharArray())
        .sign(key);

    Csr csr = Csr.decode(der).verify();
    assertThat(csr.subject().toString())
        .isEqualTo("C=DE,ST=Berlin,L=Berlin,STREET=Main St 1,PostalCode=10115,O=Example Org,OU=R&D,OU=Lab,CN=device-1,SERIALNUMBER=SN-42");
    GeneralName[] names = csr.subjectAltNames().orElseThrow().getNames();
    assertThat(names).extracting(GeneralName::getTagNo).containsExactly(
        GeneralName.dNSName, GeneralName.rfc822Name, GeneralName.iPAddress, GeneralName.iPAddress,
        GeneralName.uniformResourceIdentifier);
    assertThat(csr.challengePassword()).contains("otp-1234");
    assertThat(csr.publicKey().getEncoded()).isEqualTo(key.getPublic().getEncoded());

    String text = openssl(der);
    assertThat(text).contains("verify OK").contains("DNS:device-1.example").contains("email:ops@example.com")
        .contains("IP Address:192.0.2.7").contains("IP Address:2001:DB8:0:0:0:0:0:7")
        .contains("URI:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6").contains("CN = device-1")
        .contains(expectedSignature(keyType));
  }

  private static String expectedSignature(String keyType) {
    switch (keyType) {
      case "ec:P-256": return "ecdsa-with-SHA256";
      case "ec:P-384": return "ecdsa-with-SHA384";
      case "ec:P-521": return "ecdsa-with-SHA512";
      case "ed25519": return "ED25519";
      default: return "sha256WithRSAEncryption";
    }
  }

  @Test
  void reenrollmentCopiesSubjectAndSanBytes() throws Exception {
    TestCerts pki = TestCerts.create();
    KeyPair old = KeyPairs.generate("ec:P-256");
    X509Certificate current = pki.leaf("renew-me", old);
    // TestCerts' leaf has no SAN; also use the server cert, which has one.
    for (X509Certificate cert : List.of(current, pki.server)) {
      KeyPair next = KeyPairs.generate("ec:P-256");
      Csr csr = Csr.decode(CsrBuilder.forReenrollment(cert, next).sign(next)).verify();
      assertThat(csr.subject().getEncoded()).isEqualTo(cert.getSubjectX500Principal().getEncoded());
      byte[] certSan = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
      if (certSan == null) {
        assertThat(csr.subjectAltNames()).isEmpty();
      } else {
        Extension san = csr.requestedExtensions().orElseThrow().getExtension(Extension.subjectAlternativeName);
        assertThat(san.getExtnValue().getOctets()).isEqualTo(ASN1OctetString.getInstance(certSan).getOctets());
      }
      assertThat(csr.publicKey().getEncoded()).isEqualTo(next.getPublic().getEncoded());
      assertThat(openssl(csr.encoded())).contains("verify OK");
    }
  }

  @Test
  void subjectFromX500NameAndSanOnly() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    Csr a = Csr.decode(CsrBuilder.create().subject(new X500Name("CN=x,O=y")).sign(key)).verify();
    assertThat(a.subject()).isEqualTo(new X500Name("CN=x,O=y"));
    Csr b = Csr.decode(CsrBuilder.create().addDnsName("only.example").sign(key)).verify();
    assertThat(b.subject().getRDNs()).isEmpty();
    assertThat(b.subjectAltNames().map(GeneralNames::getNames).orElseThrow()).hasSize(1);
  }

  @Test
  void refusesNonsense() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    assertThatThrownBy(() -> CsrBuilder.create().sign(key)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CsrBuilder.create().subject(new X500Name("CN=a")).commonName("b").sign(key))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> CsrBuilder.create().addIpAddress("example.com")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyPairs.generate("dsa:1024")).hasMessageContaining("unknown key type");
  }

  private String openssl(byte[] der) throws IOException, InterruptedException {
    Path openssl = Path.of("/usr/bin/openssl");
    if (!Files.isExecutable(openssl)) {
      if (System.getenv("CI") != null) {
        throw new AssertionError("openssl is missing (Debian package: openssl) and CI is set");
      }
      Assumptions.abort("openssl not installed: apt-get install openssl");
    }
    Path file = Files.createTempFile(dir, "csr", ".der");
    Files.write(file, der);
    Process p = new ProcessBuilder(openssl.toString(), "req", "-verify", "-inform", "DER", "-noout", "-text", "-in", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
