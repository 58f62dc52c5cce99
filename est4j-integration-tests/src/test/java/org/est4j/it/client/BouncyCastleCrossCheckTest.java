package org.est4j.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.est.CSRRequestResponse;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.est4j.cli.EmbeddedEstServer;
import org.est4j.client.CsrBuilder;
import org.est4j.client.EnrollResult;
import org.est4j.client.EstClient;
import org.est4j.client.EstClientBuilder;
import org.est4j.client.KeyPairs;
import org.est4j.client.ServerKeyGenResult;
import org.est4j.client.TrustAnchors;
import org.est4j.protocol.CsrAttrs;
import org.est4j.testing.MockEstResponse;
import org.est4j.testing.MockEstServer;
import org.est4j.testing.RecordedEstRequest;
import org.est4j.testing.TestCertificate;
import org.est4j.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * est4j's {@link EstClient} and Bouncy Castle's EST client ({@code JsseESTServiceBuilder}) read
 * the same responses and must agree on what they contain. Responses that differ per request
 * (issued certificates) are replayed byte for byte through {@link MockEstServer}.
 */
class BouncyCastleCrossCheckTest {
  private static final JcaX509CertificateConverter CONVERTER = new JcaX509CertificateConverter();

  @TempDir Path dir;

  private static X509TrustManager[] trust(X509Certificate root) {
    return new X509TrustManager[] {TestPki.trustManagerTrusting(root)};
  }

  private static JsseESTServiceBuilder bc(int port, X509Certificate root) throws Exception {
    return new JsseESTServiceBuilder("localhost", port, trust(root)).withTimeout(30_000);
  }

  private static EstClientBuilder est4j(int port, X509Certificate root) {
    return EstClient.builder().server("localhost:" + port).trust(TrustAnchors.explicit(List.of(root)));
  }

  private static List<X509Certificate> certificates(Collection<X509CertificateHolder> holders) throws Exception {
    List<X509Certificate> certs = new ArrayList<>();
    for (X509CertificateHolder holder : holders) {
      certs.add(CONVERTER.getCertificate(holder));
    }
    return certs;
  }

  @Test
  void caCertsSameCertificatesSameOrder() throws Exception {
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0")) {
      List<X509Certificate> ours = est4j(server.port(), server.root()).build().caCerts();
      List<X509Certificate> theirs = certificates(
          bc(server.port(), server.root()).build().getCACerts().getCertificateStore().getMatches(null));
      assertThat(ours).isEqualTo(server.caCertificates());
      assertThat(theirs).containsExactlyElementsOf(ours);
    }
  }

  /**
   * The zero-config label {@code csrattrs} cannot be used here: Bouncy Castle refuses operation
   * names as labels before sending anything (see BouncyCastleEstClientInteropTest), so the RFC
   * 7030 example is configured on label {@code rfc7030} and both clients read that.
   */
  @Test
  void csrAttrsSameAttributesSameEncoding() throws Exception {
    String yaml = "tls:\n"
        + "  listen_address: 127.0.0.1:0\n"
        + "users:\n"
        + "  - username: alice\n"
        + "    password: wonderland\n"
        + "labels:\n"
        + "  rfc7030:\n"
        + "    csrattrs:\n"
        + "      - 1.2.840.113549.1.9.7\n"
        + "      - {type: 1.2.840.10045.2.1, values: [1.3.132.0.34]}\n"
        + "      - {type: 1.2.840.113549.1.9.14, values: [1.3.6.1.1.1.1.22]}\n"
        + "      - 1.2.840.10045.4.3.3\n";
    Path config = Files.writeString(dir.resolve("est.yaml"), yaml, StandardCharsets.UTF_8);
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.of(config), "127.0.0.1:0")) {
      CsrAttrs ours = est4j(server.port(), server.root()).label("rfc7030").build().csrAttrs();
      CSRRequestResponse theirs = bc(server.port(), server.root()).withLabel("rfc7030").build().getCSRAttributes();

      assertThat(ours).isEqualTo(CsrAttrs.rfc7030Example());
      assertThat(theirs.hasAttributesResponse()).isTrue();
      assertThat(theirs.getAttributesResponse().getEncoded()).isEqualTo(ours.encoded());
      assertThat(theirs.getAttributesResponse().getRequirements()).containsExactlyInAnyOrder(
          new ASN1ObjectIdentifier("1.2.840.113549.1.9.7"),
          new ASN1ObjectIdentifier("1.2.840.10045.2.1"),
          new ASN1ObjectIdentifier("1.2.840.113549.1.9.14"),
          new ASN1ObjectIdentifier("1.2.840.10045.4.3.3"));
    }
  }

  /**
   * The same CSR bytes enrolled by both clients at the real server: the certificates differ (serial,
   * validity) but both certify the CSR's key and subject.
   */
  @Test
  void sameCsrEnrolledByBothCertifiesTheSameKeyAndSubject() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    byte[] csr = CsrBuilder.create().commonName("cross-check").addDnsName("cross-check.example").sign(key);
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0")) {
      EnrollResult ours = est4j(server.port(), server.root()).build().enroll(csr);
      EnrollmentResponse theirs = bc(server.port(), server.root()).build()
          .simpleEnroll(false, new PKCS10CertificationRequest(csr), null);

      assertThat(ours).isInstanceOf(EnrollResult.Issued.class);
      X509Certificate a = ((EnrollResult.Issued) ours).certificate();
      assertThat(theirs.isCompleted()).isTrue();
      List<X509Certificate> bcCerts = certificates(theirs.getStore().getMatches(null));
      assertThat(bcCerts).hasSize(1 + ((EnrollResult.Issued) ours).additional().size());
      X509Certificate b = bcCerts.get(0);
      assertThat(a.getPublicKey()).isEqualTo(key.getPublic());
      assertThat(b.getPublicKey()).isEqualTo(key.getPublic());
      assertThat(b.getSubjectX500Principal()).isEqualTo(a.getSubjectX500Principal());
      assertThat(b.getIssuerX500Principal()).isEqualTo(a.getIssuerX500Principal());
    }
  }

  /**
   * One certs-only answer, recorded from the real server, replayed byte for byte to both clients:
   * they must parse the same certificates, also as one base64 line and chunked. Not compared: the
   * shapes Bouncy Castle 1.83 cannot read although est4j accepts them (no Content-Transfer-Encoding,
   * which RFC 8951 made optional: "Stream closed before limit fully read, Read: 75"; libest's
   * trailing NUL: "Stream closed with extra content in pipe that exceeds content length"; a body
   * delimited by connection close: "No Content-length header").
   */
  @Test
  void sameRecordedEnrollResponseParsedIdentically() throws Exception {
    KeyPair key = KeyPairs.generate("ec:P-256");
    byte[] csr = CsrBuilder.create().commonName("replayed").sign(key);
    X509Certificate issued;
    List<X509Certificate> ca;
    try (EmbeddedEstServer server = EmbeddedEstServer.start(Optional.empty(), "127.0.0.1:0")) {
      issued = ((EnrollResult.Issued) est4j(server.port(), server.root()).build().enroll(csr)).certificate();
      ca = server.caCertificates();
    }
    List<List<X509Certificate>> bodies = List.of(List.of(issued), concat(issued, ca));
    try (MockEstServer mock = new MockEstServer().start()) {
      X509Certificate mockRoot = mock.pki().root().certificate();
      for (List<X509Certificate> certs : bodies) {
        MockEstResponse plain = MockEstResponse.certsOnly(certs);
        for (MockEstResponse shape : List.of(
            plain,
            plain.toBuilder().oneLineBase64().build(),
            plain.toBuilder().chunked(7).build())) {
          mock.enqueue(shape);
          mock.enqueue(shape);
          EnrollResult.Issued ours = (EnrollResult.Issued) est4j(mock.port(), mockRoot).build().enroll(csr);
          EnrollmentResponse theirs = bc(mock.port(), mockRoot).build()
              .simpleEnroll(false, new PKCS10CertificationRequest(csr), null);

          assertThat(theirs.isCompleted()).isTrue();
          List<X509Certificate> ourCerts = concat(ours.certificate(), ours.additional());
          assertThat(ourCerts).isEqualTo(certs);
          assertThat(certificates(theirs.getStore().getMatches(null))).containsExactlyInAnyOrderElementsOf(ourCerts);

          RecordedEstRequest fromUs = mock.takeRequest();
          RecordedEstRequest fromBc = mock.takeRequest();
          assertThat(fromBc.path()).isEqualTo(fromUs.path()).isEqualTo("/.well-known/est/simpleenroll");
        }
      }
    }
  }

  /** A recorded-shape /cacerts answer from the mock: both clients, same order. */
  @Test
  void sameCaCertsResponseFromTheMockSameOrder() throws Exception {
    try (MockEstServer mock = new MockEstServer().start()) {
      X509Certificate root = mock.pki().root().certificate();
      List<X509Certificate> ca = List.of(mock.pki().intermediate().certificate(), root);
      MockEstResponse answer = MockEstResponse.certsOnly(ca).toBuilder().chunked(7).build();
      mock.enqueue(answer);
      mock.enqueue(answer);
      List<X509Certificate> ours = est4j(mock.port(), root).build().caCerts();
      List<X509Certificate> theirs = certificates(bc(mock.port(), root).build().getCACerts().getCertificateStore().getMatches(null));
      assertThat(ours).containsExactlyElementsOf(ca);
      assertThat(theirs).containsExactlyElementsOf(ours);
    }
  }

  /** One serverkeygen multipart answer (RFC order, then reversed) replayed to both clients. */
  @Test
  void sameServerKeyGenResponseParsedIdentically() throws Exception {
    byte[] csr = CsrBuilder.create().commonName("keygen").sign(KeyPairs.generate("ec:P-256"));
    try (MockEstServer mock = new MockEstServer().start()) {
      X509Certificate root = mock.pki().root().certificate();
      TestCertificate generated = mock.pki().newClient("keygen");
      byte[] pkcs8 = generated.keyPair().getPrivate().getEncoded();
      MockEstResponse rfcOrder = MockEstResponse.serverKeyGen(pkcs8, generated.certificate());
      for (MockEstResponse shape : List.of(rfcOrder, rfcOrder.toBuilder().certificatePartFirst().build())) {
        mock.enqueue(shape);
        mock.enqueue(shape);
        ServerKeyGenResult ours = est4j(mock.port(), root).build().serverKeyGen(csr);
        EnrollmentResponse theirs = bc(mock.port(), root).build()
            .simpleEnrollWithServersideCreation(new PKCS10CertificationRequest(csr), null);

        assertThat(ours.certificate()).isEqualTo(generated.certificate());
        assertThat(ours.privateKey().getEncoded()).isEqualTo(pkcs8);
        assertThat(certificates(theirs.getStore().getMatches(null))).containsExactly(ours.certificate());
        assertThat(theirs.getPrivateKeyInfo().getEncoded()).isEqualTo(ours.privateKey().getEncoded());
      }
    }
  }

  private static List<X509Certificate> concat(X509Certificate first, List<X509Certificate> rest) {
    List<X509Certificate> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
