package org.est4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateKeySpec;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
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

  @ParameterizedTest
  @ValueSource(strings = {"rsa:2048", "ec:P-256", "ec:P-384", "ec:P-521", "ed25519", "ed448"})
  void signWithThePrivateKeyAloneDerivesThePublicKey(String keyType) throws Exception {
    KeyPair key = KeyPairs.generate(keyType);
    // as read from a PKCS#8 file, by the default providers
    PrivateKey fromFile = KeyFactory.getInstance(key.getPrivate().getAlgorithm())
        .generatePrivate(new PKCS8EncodedKeySpec(key.getPrivate().getEncoded()));
    for (PrivateKey k : List.of(key.getPrivate(), fromFile)) {
      Csr csr = Csr.decode(CsrBuilder.create().commonName("derived").sign(k)).verify();
      assertThat(csr.publicKeyInfo().getEncoded()).isEqualTo(key.getPublic().getEncoded());
      assertThat(csr.subject()).isEqualTo(new X500Name("CN=derived"));
    }
  }

  @Test
  void signWithAnRsaKeyWithoutCrtParametersNeedsThePublicKey() throws Exception {
    KeyPair key = KeyPairs.generate("rsa:2048");
    RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key.getPrivate();
    PrivateKey bare = KeyFactory.getInstance("RSA").generatePrivate(new RSAPrivateKeySpec(crt.getModulus(), crt.getPrivateExponent()));
    assertThatThrownBy(() -> CsrBuilder.create().commonName("x").sign(bare))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("sign(PrivateKey, PublicKey)");
    Csr csr = Csr.decode(CsrBuilder.create().commonName("x").sign(bare, key.getPublic())).verify();
    assertThat(csr.publicKeyInfo().getEncoded()).isEqualTo(key.getPublic().getEncoded());
  }

  @Test
  void fieldSettersFollowGosRdnOrderWhateverTheCallOrder() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    Csr csr = Csr.decode(CsrBuilder.create()
        .serialNumber("SN-1").commonName("cn").organizationalUnit("ou").organization("o").postalCode("10115")
        .streetAddress("street").locality("l").province("st").country("DE").sign(key)).verify();
    RDN[] rdns = csr.subject().getRDNs();
    assertThat(rdns).allSatisfy(rdn -> assertThat(rdn.isMultiValued()).isFalse());
    assertThat(rdns).extracting(rdn -> rdn.getFirst().getType()).containsExactly(
        BCStyle.C, BCStyle.ST, BCStyle.L, BCStyle.STREET, BCStyle.POSTAL_CODE, BCStyle.O, BCStyle.OU, BCStyle.CN,
        BCStyle.SERIALNUMBER);
    // null and empty values are left out, as Go does
    Csr sparse = Csr.decode(CsrBuilder.create().commonName("cn").organization("").locality(null).organizationalUnit("")
        .sign(key)).verify();
    assertThat(sparse.subject().getEncoded()).isEqualTo(new X500Name("CN=cn").getEncoded());
  }

  @Test
  void severalOusAsOneMultiValuedRdnLikeGo() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    Csr csr = Csr.decode(CsrBuilder.create().multiValuedOrganizationalUnits(true)
        .country("US").organization("JD Associates").organizationalUnits(List.of("Sales", "Marketing"))
        .commonName("John Doe").sign(key)).verify();
    RDN[] rdns = csr.subject().getRDNs();
    assertThat(rdns).hasSize(4);
    assertThat(rdns[2].isMultiValued()).isTrue();
    assertThat(rdns[2].getTypesAndValues()).extracting(AttributeTypeAndValue::getType).containsOnly(BCStyle.OU);
    // a DER SET, sorted by encoding as Go's encoding/asn1 sorts SET OF: SEQUENCE length 0x0C
    // ("Sales") before 0x10 ("Marketing")
    assertThat(rdns[2].getTypesAndValues()).extracting(a -> a.getValue().toString()).containsExactly("Sales", "Marketing");
    assertThat(csr.subject().toString()).isEqualTo("C=US,O=JD Associates,OU=Sales+OU=Marketing,CN=John Doe");
    // the DER: SEQUENCE { SET{C}, SET{O}, SET{OU, OU}, SET{CN} }
    ASN1Sequence seq = ASN1Sequence.getInstance(csr.subject().getEncoded());
    assertThat(seq.size()).isEqualTo(4);
    assertThat(ASN1Set.getInstance(seq.getObjectAt(2)).size()).isEqualTo(2);
    assertThat(ASN1Set.getInstance(seq.getObjectAt(3)).size()).isEqualTo(1);

    // default: one RDN per OU; a single OU is never multi-valued
    Csr separate = Csr.decode(CsrBuilder.create().organizationalUnits(List.of("Sales", "Marketing")).sign(key)).verify();
    assertThat(separate.subject().toString()).isEqualTo("OU=Sales,OU=Marketing");
    Csr single = Csr.decode(CsrBuilder.create().multiValuedOrganizationalUnits(true).organizationalUnit("Sales").sign(key)).verify();
    assertThat(single.subject().getRDNs()[0].isMultiValued()).isFalse();
  }

  @Test
  void emptySubjectWithSansOnly() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    Csr csr = Csr.decode(CsrBuilder.create().addDnsName("a.example")
        .addIpAddress(InetAddress.getByName("::ffff:10.0.0.1"))
        .addSubjectAltName(new GeneralName(GeneralName.uniformResourceIdentifier, "www.this.com"))
        .sign(key.getPrivate())).verify();
    assertThat(csr.subject().getEncoded()).containsExactly(0x30, 0x00);
    Extension san = csr.requestedExtensions().orElseThrow().getExtension(Extension.subjectAlternativeName);
    assertThat(san.isCritical()).as("RFC 5280 4.2.1.6: critical with an empty subject").isTrue();
    GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
    assertThat(ASN1OctetString.getInstance(names[1].getName()).getOctets()).containsExactly(10, 0, 0, 1);
    assertThat(names[2].getName().toString()).isEqualTo("www.this.com");
    assertThat(openssl(csr.encoded())).contains("verify OK").contains("URI:www.this.com");
    // with a subject the SAN extension stays non-critical
    Csr named = Csr.decode(CsrBuilder.create().commonName("n").addDnsName("a.example").sign(key)).verify();
    assertThat(named.requestedExtensions().orElseThrow().getExtension(Extension.subjectAlternativeName).isCritical()).isFalse();
    // neither subject nor SAN: refused
    assertThatThrownBy(() -> CsrBuilder.create().commonName("").sign(key.getPrivate())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reenrollmentWithThePrivateKeyOnly() throws Exception {
    TestCerts pki = TestCerts.create();
    KeyPair key = KeyPairs.generate("ec:P-384");
    Csr csr = Csr.decode(CsrBuilder.forReenrollment(pki.server).sign(key.getPrivate())).verify();
    assertThat(csr.subject().getEncoded()).isEqualTo(pki.server.getSubjectX500Principal().getEncoded());
    assertThat(csr.publicKeyInfo().getEncoded()).isEqualTo(key.getPublic().getEncoded());
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
