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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certs-only responses cross-checked against openssl in both directions. */
class CertsOnlyTest {
  @TempDir Path dir;
  X509Certificate alpha;
  X509Certificate beta;

  @BeforeEach
  void makeCertificates() throws Exception {
    OpenSsl.run(
        dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "a.key", "-subj", "/CN=Alpha", "-days", "1", "-out", "a.pem");
    OpenSsl.run(
        dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "b.key",
        "-subj", "/CN=Beta", "-days", "1", "-out", "b.pem");
    alpha = readPem("a.pem");
    beta = readPem("b.pem");
  }

  @Test
  void decodesOpensslOutputInOrder() throws Exception {
    OpenSsl.run(dir, "crl2pkcs7", "-nocrl", "-certfile", "a.pem", "-certfile", "b.pem",
        "-outform", "DER", "-out", "ab.p7");
    OpenSsl.run(dir, "crl2pkcs7", "-nocrl", "-certfile", "b.pem", "-certfile", "a.pem",
        "-outform", "DER", "-out", "ba.p7");

    assertThat(CertsOnly.decode(Files.readAllBytes(dir.resolve("ab.p7")))).containsExactly(alpha, beta);
    assertThat(CertsOnly.decode(Files.readAllBytes(dir.resolve("ba.p7")))).containsExactly(beta, alpha);
  }

  @Test
  void encodesExactlyWhatOpensslEncodes() throws Exception {
    // Both orders, so that a DER-sorted SET could not pass by accident.
    OpenSsl.run(dir, "crl2pkcs7", "-nocrl", "-certfile", "a.pem", "-certfile", "b.pem",
        "-outform", "DER", "-out", "ab.p7");
    OpenSsl.run(dir, "crl2pkcs7", "-nocrl", "-certfile", "b.pem", "-certfile", "a.pem",
        "-outform", "DER", "-out", "ba.p7");

    assertThat(CertsOnly.encode(List.of(alpha, beta))).isEqualTo(Files.readAllBytes(dir.resolve("ab.p7")));
    assertThat(CertsOnly.encode(List.of(beta, alpha))).isEqualTo(Files.readAllBytes(dir.resolve("ba.p7")));
  }

  @Test
  void opensslReadsOurEncoding() throws Exception {
    Files.write(dir.resolve("ours.p7"), CertsOnly.encode(List.of(beta, alpha)));

    String printed = OpenSsl.run(dir, "pkcs7", "-inform", "DER", "-in", "ours.p7", "-print_certs");

    assertThat(printed).contains("subject=CN = Beta", "subject=CN = Alpha");
    assertThat(printed.indexOf("CN = Beta")).isLessThan(printed.indexOf("CN = Alpha"));
  }

  @Test
  void roundTripsIncludingEmpty() throws Exception {
    assertThat(CertsOnly.decode(CertsOnly.encode(List.of(alpha)))).containsExactly(alpha);
    assertThat(CertsOnly.decode(CertsOnly.encode(List.of()))).isEmpty();
  }

  @Test
  void rejectsMalformedInput() throws Exception {
    byte[] good = CertsOnly.encode(List.of(alpha));
    for (byte[] bad :
        new byte[][] {
          new byte[0],
          "garbage".getBytes(StandardCharsets.US_ASCII),
          Arrays.copyOf(good, good.length - 1),
          Arrays.copyOf(good, good.length + 2),
          CsrAttrs.rfc7030Example().encoded(),
          alpha.getEncoded()
        }) {
      assertThatThrownBy(() -> CertsOnly.decode(bad))
          .isInstanceOf(EstProtocolException.class)
          .hasMessage("malformed PKCS7 structure");
    }
  }

  private X509Certificate readPem(String file) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(file))));
  }
}
