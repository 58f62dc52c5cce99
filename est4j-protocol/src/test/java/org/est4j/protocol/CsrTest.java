package org.est4j.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PKCS#10 requests made by openssl at test time; no key material is committed. */
class CsrTest {
  @TempDir Path dir;

  static Stream<Arguments> keyTypes() {
    return Stream.of(
        Arguments.of("rsa2048", new String[] {"-newkey", "rsa:2048", "-sha256"}),
        Arguments.of("rsa3072", new String[] {"-newkey", "rsa:3072", "-sha384"}),
        Arguments.of("rsa4096", new String[] {"-newkey", "rsa:4096", "-sha512"}),
        Arguments.of(
            "rsapss",
            new String[] {
              "-newkey", "rsa:2048", "-sha256", "-sigopt", "rsa_padding_mode:pss",
              "-sigopt", "rsa_pss_saltlen:32"
            }),
        Arguments.of(
            "rsapsskey",
            new String[] {"-newkey", "rsa-pss", "-pkeyopt", "rsa_keygen_bits:2048", "-sha384"}),
        Arguments.of("p256", ec("P-256", "-sha256")),
        Arguments.of("p384", ec("P-384", "-sha384")),
        Arguments.of("p521", ec("P-521", "-sha512")),
        Arguments.of("ed25519", new String[] {"-newkey", "ed25519"}),
        Arguments.of("ed448", new String[] {"-newkey", "ed448"}));
  }

  private static String[] ec(String curve, String digest) {
    return new String[] {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:" + curve, digest};
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyTypes")
  void decodesAndVerifiesOpensslRequest(String name, String[] keyArgs) throws Exception {
    byte[] der = makeCsr(name, keyArgs);

    Csr csr = Csr.decode(der).verify();

    assertThat(csr.subject()).isEqualTo(new X500Name("CN=" + name + ",O=est4j"));
    assertThat(csr.subjectAltNames()).isPresent();
    assertThat(
            Arrays.stream(csr.subjectAltNames().get().getNames())
                .map(GeneralName::toString)
                .collect(Collectors.toList()))
        .containsExactly("2: " + name + ".example", "7: #c0000201");
    assertThat(csr.requestedExtensions()).isPresent();
    assertThat(csr.challengePassword()).isEmpty();
    assertThat(csr.encoded()).isEqualTo(der);
    assertThat(csr.publicKey().getEncoded()).isEqualTo(csr.publicKeyInfo().getEncoded());
    assertThat(csr.toBouncyCastle().getEncoded()).isEqualTo(der);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyTypes")
  void rejectsAFlippedSignatureBit(String name, String[] keyArgs) throws Exception {
    byte[] der = makeCsr(name, keyArgs);
    der[der.length - 1] ^= 0x01; // the last byte is always inside the signature BIT STRING

    Csr csr = Csr.decode(der);
    assertThatThrownBy(csr::verify)
        .isInstanceOf(EstProtocolException.class)
        .hasMessage("invalid PKCS10 certificate signing request signature");
  }

  @Test
  void rejectsATamperedSubject() throws Exception {
    byte[] der = makeCsr("p256", ec("P-256", "-sha256"));
    int at = indexOf(der, "p256".getBytes(StandardCharsets.US_ASCII));
    der[at] = 'q';

    Csr csr = Csr.decode(der);
    assertThat(csr.subject()).isEqualTo(new X500Name("CN=q256,O=est4j"));
    assertThatThrownBy(csr::verify)
        .isInstanceOf(EstProtocolException.class)
        .hasMessage("invalid PKCS10 certificate signing request signature");
  }

  @Test
  void rejectsTruncatedTrailingAndForeignInput() throws Exception {
    byte[] der = makeCsr("p256", ec("P-256", "-sha256"));
    byte[] trailing = Arrays.copyOf(der, der.length + 1);
    byte[] certsOnly = CertsOnly.encode(java.util.List.of());
    for (byte[] bad :
        new byte[][] {
          Arrays.copyOf(der, der.length - 1), Arrays.copyOf(der, 10), trailing, new byte[0],
          "not DER".getBytes(StandardCharsets.US_ASCII), certsOnly
        }) {
      assertThatThrownBy(() -> Csr.decode(bad))
          .isInstanceOf(EstProtocolException.class)
          .hasMessage("malformed PKCS10 certificate signing request");
    }
  }

  @Test
  void rejectsSmallRsaKeys() throws Exception {
    Csr csr = Csr.decode(makeCsr("rsa1024", new String[] {"-newkey", "rsa:1024", "-sha256"}));
    assertThatThrownBy(csr::verify)
        .isInstanceOf(EstProtocolException.class)
        .hasMessage("unsupported CSR signature algorithm RSA with a 1024-bit key");
  }

  @Test
  void rejectsSha1() throws Exception {
    Csr csr = Csr.decode(makeCsr("sha1", new String[] {"-newkey", "rsa:2048", "-sha1"}));
    assertThatThrownBy(csr::verify)
        .isInstanceOf(EstProtocolException.class)
        .hasMessage("unsupported CSR signature algorithm SHA1WITHRSA");
  }

  @Test
  void rejectsCurvesOutsideTheAllowList() throws Exception {
    Csr csr = Csr.decode(makeCsr("k1", ec("secp256k1", "-sha256")));
    assertThatThrownBy(csr::verify)
        .isInstanceOf(EstProtocolException.class)
        .hasMessageStartingWith("unsupported CSR signature algorithm EC key on curve");
  }

  @Test
  void readsChallengePassword() throws Exception {
    Files.writeString(
        dir.resolve("req.cnf"),
        "[req]\nprompt = no\ndistinguished_name = dn\nattributes = attrs\n"
            + "[dn]\nCN = withpassword\n[attrs]\nchallengePassword = s3cret-Pass\n");
    OpenSsl.run(
        dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "pw.key", "-config", "req.cnf", "-outform", "DER", "-out", "pw.der");

    Csr csr = Csr.decode(Files.readAllBytes(dir.resolve("pw.der"))).verify();

    assertThat(csr.challengePassword()).contains("s3cret-Pass");
    assertThat(csr.subjectAltNames()).isEmpty();
    assertThat(csr.requestedExtensions()).isEmpty();
  }

  @Test
  void sameSubjectAndSanAsCertificateRegardlessOfSanOrder() throws Exception {
    OpenSsl.run(
        dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "cert.key", "-subj", "/CN=device/O=est4j", "-days", "1",
        "-addext", "subjectAltName=IP:192.0.2.1,DNS:Device.Example", "-out", "cert.pem");
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(Files.readAllBytes(dir.resolve("cert.pem"))));
    OpenSsl.run(
        dir, "req", "-new", "-key", "cert.key", "-subj", "/CN=Device/O=EST4J",
        "-addext", "subjectAltName=DNS:device.example,IP:192.0.2.1", "-outform", "DER",
        "-out", "same.der");
    OpenSsl.run(
        dir, "req", "-new", "-key", "cert.key", "-subj", "/CN=other/O=est4j",
        "-addext", "subjectAltName=DNS:device.example,IP:192.0.2.1", "-outform", "DER",
        "-out", "other.der");
    OpenSsl.run(
        dir, "req", "-new", "-key", "cert.key", "-subj", "/CN=device/O=est4j",
        "-outform", "DER", "-out", "nosan.der");

    assertThat(Csr.sameSubjectAndSan(read("same.der"), cert)).isTrue();
    assertThat(Csr.sameSubjectAndSan(read("other.der"), cert)).isFalse();
    assertThat(Csr.sameSubjectAndSan(read("nosan.der"), cert)).isFalse();
  }

  private Csr read(String file) throws Exception {
    return Csr.decode(Files.readAllBytes(dir.resolve(file))).verify();
  }

  private byte[] makeCsr(String name, String[] keyArgs) throws Exception {
    String[] common = {
      "req", "-new", "-nodes", "-keyout", name + ".key", "-subj", "/CN=" + name + "/O=est4j",
      "-addext", "subjectAltName=DNS:" + name + ".example,IP:192.0.2.1",
      "-outform", "DER", "-out", name + ".der"
    };
    String[] args = Stream.concat(Arrays.stream(common), Arrays.stream(keyArgs)).toArray(String[]::new);
    OpenSsl.run(dir, args);
    return Files.readAllBytes(dir.resolve(name + ".der"));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
